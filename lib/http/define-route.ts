// defineRoute: one declaration per API operation. It authenticates (session cookie or API key),
// authorizes (project role; another project is a 404), parses params/query/body with zod (400 naming the
// field; text that cannot be stored — NUL, lone surrogates — is refused the same way first), runs the
// handler, shapes the response with the response schema (which also drops fields the contract does not
// list), maps every error to the one envelope, and registers the operation for the
// OpenAPI document. Order: 401 → 429 (per key/user) → 404/403 → 400, so nothing about a project leaks
// before access is known.
import type * as z from "zod";
import { requireProjectRole } from "@/lib/auth/access";
import { apiRateLimiter } from "@/lib/auth/api-rate-limit";
import { authenticateRequest } from "@/lib/auth/authenticate";
import {
  actorOf,
  type Principal,
  type ProjectAccess,
  type RequestMeta,
  requestMetaFromHeaders,
  type UserPrincipal,
} from "@/lib/auth/principal";
import { ForbiddenError, RateLimitError, UnauthorizedError } from "@/lib/core/errors";
import { FixedWindowLimiter, type RateLimitDecision } from "@/lib/core/rate-limit";
import type { Role } from "@/lib/core/roles";
import { refuseUnsafeText } from "@/lib/core/text-safety";
import { type AuditActor, appendAudit, type Db, getDb } from "@/lib/db";
import { observeHttpRequests } from "@/lib/observability/http-metrics";
import { parseInput } from "@/lib/validation/parse";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "./body";
import { errorResponse } from "./errors";
import {
  type HttpMethod,
  type Operation,
  pathParameters,
  type RawContent,
  type RouteAuth,
  registerOperation,
} from "./registry";

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
// A 204 handler returns nothing: `void` lets services that return Promise<void> be handlers as they are.
// biome-ignore lint/suspicious/noConfusingVoidType: the result type of a handler without a response body
type In<S> = S extends z.ZodType ? z.input<S> : void;

type AuthPart<A> = A extends { role: Role }
  ? { principal: Principal; access: ProjectAccess }
  : A extends "user"
    ? { principal: UserPrincipal; access: null }
    : A extends "any"
      ? { principal: Principal; access: null }
      : A extends "optional"
        ? { principal: Principal | null; access: null }
        : { principal: null; access: null };

/** What a handler receives. */
export type RouteCall<A extends RouteAuth, P, Q, B> = {
  request: Request;
  db: Db;
  meta: RequestMeta;
  /** For audit entries: the principal plus IP and user agent. */
  actor: AuditActor;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
} & AuthPart<A>;

export interface RouteSpec<
  A extends RouteAuth,
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
  X extends RawContent | undefined = undefined,
> {
  method: HttpMethod;
  /** The OpenAPI path of the route file, e.g. "/api/v1/projects/{project}/members". */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Default: derived from method and path. */
  operationId?: string;
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** The response body; omit for 204 No Content. */
  response?: R;
  /** Success status (default 200; 204 without a response schema). */
  status?: 200 | 201 | 202;
  maxBodyBytes?: number;
  /** Per client IP and operation. */
  rateLimit?: { limit: number; windowMs: number };
  /** Default "no-store". */
  cacheControl?: string;
  /**
   * A non-JSON request body (instead of `body`): not read here; the handler streams `request.body`
   * itself, after authentication and authorization (e.g. file uploads).
   */
  rawBody?: RawContent;
  /** The handler returns its own `Response` (instead of `response`), e.g. a streamed download. */
  rawResponse?: X;
  /**
   * Audit callers refused for their role ("access.refused", with the operation, the role needed and
   * theirs) — for operations whose every attempt matters, such as moving a prompt label.
   */
  auditRefusals?: boolean;
  handler: (call: RouteCall<A, P, Q, B>) => Promise<X extends RawContent ? Response : In<R>>;
}

/** What Next.js passes as the second argument of a route handler. */
export interface NextRouteContext {
  params?: Promise<Record<string, string | string[] | undefined>>;
}

export type RouteHandler = ((request: Request, context?: NextRouteContext) => Promise<Response>) & {
  operation: Operation;
};

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function deriveOperationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((segment) => segment.replace(/^\{(\w+)\}$/, "by-$1"))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join("");
}

function checkSpec(
  spec: RouteSpec<
    RouteAuth,
    z.ZodObject | undefined,
    z.ZodObject | undefined,
    z.ZodType | undefined,
    z.ZodType | undefined
  >,
) {
  if (!spec.path.startsWith("/api/v1/"))
    throw new Error(`defineRoute: path must start with /api/v1/: ${spec.path}`);
  const declared = pathParameters(spec.path).sort();
  const parsed = Object.keys(spec.params?.shape ?? {}).sort();
  if (declared.join() !== parsed.join()) {
    throw new Error(
      `defineRoute ${spec.method} ${spec.path}: params schema has [${parsed}], the path [${declared}]`,
    );
  }
  if (typeof spec.auth === "object" && !declared.includes("project")) {
    throw new Error(
      `defineRoute ${spec.method} ${spec.path}: a project role needs a {project} path parameter`,
    );
  }
  if ((spec.body || spec.rawBody) && !UNSAFE.has(spec.method))
    throw new Error(`defineRoute ${spec.method} ${spec.path}: GET has no body`);
  if (spec.body && spec.rawBody)
    throw new Error(`defineRoute ${spec.method} ${spec.path}: body and rawBody exclude each other`);
  if (spec.response && spec.rawResponse)
    throw new Error(`defineRoute ${spec.method} ${spec.path}: response and rawResponse exclude each other`);
}

/** Why a session cookie must not count for this unsafe request (another site sent it), or null. */
function crossOrigin(request: Request): string | null {
  if (request.headers.get("sec-fetch-site") === "cross-site") return "Cross-site";
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return null;
  const host =
    request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  return new URL(origin).host !== host ? "Cross-origin" : null;
}

/** Rejects cookie-authenticated writes from other sites (JSON-only bodies and SameSite cookies do most). */
function assertSameOrigin(request: Request): void {
  const refused = crossOrigin(request);
  if (refused) throw new ForbiddenError(`${refused} requests cannot use the session cookie; use an API key.`);
}

/** `value`, once `refuseUnsafeText` found nothing in it that cannot be stored. */
function safeText<T>(location: "params" | "query" | "body", value: T): T {
  refuseUnsafeText(location, value);
  return value;
}

function refuseOverLimit(decision: RateLimitDecision): void {
  if (!decision.allowed) throw new RateLimitError(decision.retryAfterSeconds);
}

/** Per API key / per user (lib/auth/api-rate-limit.ts); synchronous (no promise) without Redis. */
function chargePrincipal(principal: Principal): Promise<void> | undefined {
  const charged = apiRateLimiter().charge(principal);
  if (charged instanceof Promise) return charged.then(refuseOverLimit);
  refuseOverLimit(charged);
}

/** Path parameters as an audit entry keeps them: each value at most 200 characters. */
function clipped(params: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, String(value ?? "").slice(0, 200)]),
  );
}

function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

export function defineRoute<
  const A extends RouteAuth,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  X extends RawContent | undefined = undefined,
>(spec: RouteSpec<A, P, Q, B, R, X>): RouteHandler {
  checkSpec(spec as never);
  const operation: Operation = {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId ?? deriveOperationId(spec.method, spec.path),
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags ?? [],
    auth: spec.auth,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    response: spec.response,
    status: spec.response || spec.rawResponse ? (spec.status ?? 200) : 204,
    rateLimit: spec.rateLimit,
    rawBody: spec.rawBody,
    rawResponse: spec.rawResponse,
    auditRefusals: spec.auditRefusals,
  };
  registerOperation(operation);
  const limiter = spec.rateLimit
    ? new FixedWindowLimiter(spec.rateLimit.limit, spec.rateLimit.windowMs)
    : null;

  const handle = async (request: Request, context?: NextRouteContext): Promise<Response> => {
    const requestId = crypto.randomUUID();
    try {
      const rawParams = (await context?.params) ?? {};
      const meta = requestMetaFromHeaders((name) => request.headers.get(name));
      const chargeIp = () => {
        const decision = limiter?.hit(meta.ip ?? "unknown");
        if (decision && !decision.allowed) throw new RateLimitError(decision.retryAfterSeconds);
      };
      // The per-IP limit comes first, before any database work, unless credentials may exempt the caller.
      if (spec.auth !== "optional") chargeIp();
      const db = await getDb();
      let principal: Principal | null = null;
      let access: ProjectAccess | null = null;
      if (spec.auth === "optional") {
        // A bad or missing credential is charged to the IP like an anonymous call (then the 401).
        principal = await authenticateRequest(db, request).catch((error: unknown) => {
          chargeIp();
          throw error;
        });
        // A session cookie another site sent along is not a credential here: the caller is anonymous.
        if (principal?.kind === "user" && UNSAFE.has(spec.method) && crossOrigin(request)) principal = null;
        if (principal) await chargePrincipal(principal);
        else chargeIp();
      } else if (spec.auth !== "public") {
        principal = await authenticateRequest(db, request);
        if (!principal) throw new UnauthorizedError();
        await chargePrincipal(principal);
        if (principal.kind === "user" && UNSAFE.has(spec.method)) assertSameOrigin(request);
        if (spec.auth === "user" && principal.kind !== "user") {
          throw new ForbiddenError("This operation needs a signed-in user; API keys cannot call it.");
        }
        if (typeof spec.auth === "object") {
          // Before the project lookup: a NUL in the slug would reach the database.
          refuseUnsafeText("params", rawParams);
          const required = spec.auth.role;
          const auditRefusal = spec.auditRefusals
            ? (found: ProjectAccess) =>
                appendAudit(db, actorOf(principal, meta), {
                  action: "access.refused",
                  organizationId: found.project.organization.id,
                  projectId: found.project.id,
                  targetType: "operation",
                  targetLabel: `${spec.method} ${spec.path}`,
                  after: {
                    operation: operation.operationId,
                    required,
                    role: found.role,
                    params: clipped(rawParams),
                  },
                })
            : undefined;
          access = await requireProjectRole(
            db,
            principal,
            String(rawParams.project ?? ""),
            required,
            auditRefusal,
          );
        }
      }
      // Text that cannot be stored (NUL, lone surrogates) is a 400 naming the field, like a zod issue.
      const params = spec.params
        ? parseInput("params", spec.params, safeText("params", rawParams))
        : undefined;
      const query = spec.query
        ? parseInput("query", spec.query, safeText("query", queryObject(new URL(request.url))))
        : undefined;
      const body = spec.body
        ? parseInput(
            "body",
            spec.body,
            safeText("body", await readJsonBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)),
          )
        : undefined;
      const call = {
        request,
        db,
        meta,
        actor: actorOf(principal, meta),
        params,
        query,
        body,
        principal,
        access,
      };
      const result = await spec.handler(call as unknown as RouteCall<A, P, Q, B>);
      const headers = { "Cache-Control": spec.cacheControl ?? "no-store", "X-Request-Id": requestId };
      if (spec.rawResponse) {
        if (!(result instanceof Response))
          throw new Error(`${spec.method} ${spec.path}: expected a Response`);
        for (const [name, value] of Object.entries(headers))
          if (!result.headers.has(name)) result.headers.set(name, value);
        return result;
      }
      if (!spec.response) return new Response(null, { status: 204, headers });
      return Response.json(spec.response.parse(result), { status: operation.status, headers });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
  // Request counts and latency per operation for GET /api/metrics.
  return Object.assign(observeHttpRequests(operation, handle), { operation });
}
