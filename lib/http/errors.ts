// The one mapping from errors to HTTP: `{ "error": { "code", "message", "details" } }`. AppErrors carry
// their status; a database that is unavailable for a moment is a 503 to retry; anything else is a 500
// with a generic message. Driver and ORM text never reaches a client: its detail goes to the server log.
import { AppError, RateLimitError, RunnerUnavailableError } from "@/lib/core/errors";
import { isTransientDbError, transientErrorCode } from "@/lib/db/transient";
import { type ErrorDetails, type ErrorEnvelope, parseErrorDetails } from "@/lib/validation/common";

export type ErrorBody = ErrorEnvelope;

/**
 * An error's details in the one declared shape (lib/validation/common.ts): `issues` always present,
 * undeclared fields dropped. Details that do not fit are a bug: logged, and sent as no details.
 */
export function errorDetails(details: unknown): ErrorDetails {
  const parsed = parseErrorDetails(details);
  if (parsed) return parsed;
  console.error("[strop] error details outside the declared shape:", details);
  return { issues: [] };
}

export function errorJson(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** Prisma errors that reach the edge without a repository translating them. */
function fromDatabase(error: unknown): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "P2002") return new AppError("conflict", "A record with these values already exists.", 409);
  if (code === "P2025") return new AppError("not_found", "The record does not exist.", 404);
  if (code === "P2034") return new AppError("conflict", "A concurrent change won; retry the request.", 409);
  return null;
}

/** Seconds a client waits before retrying a request the database could not serve. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

export function errorResponse(error: unknown, requestId: string): Response {
  const known = error instanceof AppError ? error : fromDatabase(error);
  if (!known && isTransientDbError(error)) {
    console.warn(`[strop] request ${requestId}: database unavailable (${transientErrorCode(error)})`);
    return errorJson(
      503,
      {
        error: {
          code: "database_unavailable",
          message: "The database is unavailable for a moment; retry the request.",
          details: { issues: [], requestId },
        },
      },
      { "X-Request-Id": requestId, "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    );
  }
  // A 502 is a provider's failure as the gateway reports it (parsed, truncated, no secrets), and a 503
  // runner_unavailable names the job that was stored but not handed over (to resume it): the caller
  // needs both. Any other 5xx is ours: a generic message, the detail in the log.
  const forCaller =
    known && (known.status < 500 || known.status === 502 || known instanceof RunnerUnavailableError);
  if (known && forCaller) {
    const headers: Record<string, string> = { "X-Request-Id": requestId };
    if (known instanceof RateLimitError) headers["Retry-After"] = String(known.retryAfterSeconds);
    const body: ErrorBody = {
      error: { code: known.code, message: known.message, details: errorDetails(known.details) },
    };
    return errorJson(known.status, body, headers);
  }
  console.error(`[strop] request ${requestId} failed:`, error);
  return errorJson(
    500,
    { error: { code: "internal", message: "Internal server error.", details: { issues: [], requestId } } },
    { "X-Request-Id": requestId },
  );
}
