// Every API operation, registered by `defineRoute` when its route module loads. The OpenAPI document and
// the authorization walker test are built from here.
import type * as z from "zod";
import type { Role } from "@/lib/core/roles";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call an operation:
 * - "public": anyone, no credentials looked at;
 * - "optional": anyone; credentials, when sent, are checked (a bad key is a 401) and the caller is
 *   charged to its own API bucket instead of the operation's per-IP limit (e.g. feedback: browsers
 *   with a token, servers with a key);
 * - "user": a signed-in user (API keys get 403: e.g. creating projects);
 * - "any": a signed-in user or an API key;
 * - { role }: a user or key with at least this role in the project of the `{project}` path parameter
 *   (no access to the project at all: 404).
 */
export type RouteAuth = "public" | "optional" | "user" | "any" | { role: Role };

export interface Operation {
  method: HttpMethod;
  /** OpenAPI path, e.g. "/api/v1/projects/{project}/members". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: RouteAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Absent: the operation answers 204 without a body. */
  response?: z.ZodType;
  status: number;
  rateLimit?: { limit: number; windowMs: number };
  /** A non-JSON request body the handler streams itself (e.g. a file upload). */
  rawBody?: RawContent;
  /** A non-JSON response the handler builds itself (e.g. a streamed download). */
  rawResponse?: RawContent;
  /** A caller refused for its role gets an "access.refused" audit entry (e.g. moving prompt labels). */
  auditRefusals?: boolean;
}

/** A non-JSON body: its media types and what it holds (for the OpenAPI document). */
export interface RawContent {
  contentTypes: string[];
  description: string;
  /**
   * The JSON a raw response carries (a handler that sets its own headers, e.g. an ETag), or the JSON a
   * raw body may be instead of a file (its application/json content): documented.
   */
  schema?: z.ZodType;
}

const operations = new Map<string, Operation>();

export const operationKey = (method: string, path: string) => `${method} ${path}`;

/** Registers (or, on a hot reload, replaces) an operation. */
export function registerOperation(operation: Operation): void {
  operations.set(operationKey(operation.method, operation.path), operation);
}

/** The registered operations, by path then method. */
export function listOperations(): Operation[] {
  const order = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  return [...operations.values()].sort(
    (a, b) => a.path.localeCompare(b.path) || order.indexOf(a.method) - order.indexOf(b.method),
  );
}

export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
