// Browser-side calls to the API (same origin, session cookie): JSON in, JSON out. Every error answer is
// read by one parser (`apiErrorFrom`, for fetch and for the file uploads' XMLHttpRequest alike) into an
// ApiError whose `details` has the one declared shape (lib/validation/common.ts): `issues` naming the
// fields at fault, plus what some codes add (`problems` of an uploaded file, …). What people read of it
// comes from lib/http/error-wording.ts: `errorMessage`, `describeError` and the field messages here.
import * as z from "zod";
import { type ErrorDetails, errorDetailsSchema, type ValidationIssue } from "@/lib/validation/common";
import { type FieldLabels, type WordedError, wordApiError, wordIssueMessage } from "./error-wording";

export type { ErrorDetails, FieldLabels, ValidationIssue, WordedError };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = { issues: [] },
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The issues of one part of the request (body fields, query parameters, path parameters), worded for people. */
  issuesIn(where: ValidationIssue["in"]): ValidationIssue[] {
    return this.details.issues
      .filter((issue) => issue.in === where)
      .map((issue) => ({ ...issue, message: wordIssueMessage(issue.message) }));
  }

  /**
   * Every message per field of one part of the request (joined), by dotted path ("email",
   * "members.0.role"); `depth` keeps that many leading path segments (1: messages by top-level field).
   */
  fieldErrorsIn(where: ValidationIssue["in"], depth = Number.POSITIVE_INFINITY): Record<string, string> {
    const out: Record<string, string> = {};
    for (const issue of this.issuesIn(where)) {
      const field = issue.path.split(".").slice(0, depth).join(".");
      if (!field) continue;
      if (!out[field]) out[field] = issue.message;
      else if (!out[field].split("; ").includes(issue.message)) out[field] += `; ${issue.message}`;
    }
    return out;
  }

  /** Messages by body field path, for errors tied to form fields. */
  get fieldErrors(): Record<string, string> {
    return this.fieldErrorsIn("body");
  }
}

/** What an error answer may hold: anything missing or malformed falls back to a generic error. */
const looseEnvelopeSchema = z.object({
  error: z
    .object({
      code: z.string().catch("http_error"),
      message: z.string().optional().catch(undefined),
      details: errorDetailsSchema.catch({ issues: [] }),
    })
    .catch({ code: "http_error", message: undefined, details: { issues: [] } }),
});

/** The one reading of an error answer: the envelope's code, message and details, whatever came back. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const parsed = looseEnvelopeSchema.safeParse(body);
  const error = parsed.success ? parsed.data.error : null;
  return new ApiError(
    status,
    error?.code ?? "http_error",
    error?.message ?? `The server answered ${status}.`,
    error?.details ?? { issues: [] },
  );
}

export async function apiRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers:
      body === undefined
        ? { accept: "application/json" }
        : { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiErrorFrom(response.status, data);
  return data as T;
}

const NETWORK_MESSAGE = "Could not reach the server. Check your connection and try again.";

/**
 * What to show for any error thrown by apiRequest (or the network): the summary for the form's alert and
 * the messages of the fields the form labels (`labels`: API path → the form's label).
 */
export function describeError(error: unknown, labels: FieldLabels = {}): WordedError {
  if (error instanceof ApiError) return wordApiError(error, labels);
  return { summary: NETWORK_MESSAGE, fields: {} };
}

/**
 * A message for any error thrown by apiRequest (or the network), in the user's words. A form that shows
 * some fields' messages next to them passes their `labels`; the message then lists only the others.
 */
export function errorMessage(error: unknown, labels: FieldLabels = {}): string {
  return describeError(error, labels).summary;
}
