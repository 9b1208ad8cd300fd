// When and how long to retry a failed provider call: exponential backoff with full jitter, honouring
// the provider's Retry-After (seconds or an HTTP date) and retry-after-ms. Retries 429, 408, 5xx,
// timeouts, connection failures and a success status whose body cannot be read (malformed or truncated
// JSON: a proxy cut it, the server half-wrote it); any other 4xx fails at once. The clock, the randomness and the
// sleep come in, so the waits can be asserted without waiting.
import { APICallError, EmptyResponseBodyError, JSONParseError, TypeValidationError } from "ai";
import { sleep as realSleep } from "./queue";

/** Retries after the first attempt, unless configured. */
export const DEFAULT_MAX_RETRIES = 4;

export interface RetryPolicy {
  /** Backoff cap of the first retry; doubles per retry (full jitter: a uniform draw in [0, cap]). */
  baseDelayMs: number;
  /** Largest backoff cap. */
  maxDelayMs: number;
  /** A longer Retry-After is shortened to this (the retry then probably fails again and the call ends). */
  maxRetryAfterMs: number;
  random: () => number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  now: Date.now,
  sleep: realSleep,
};

/** A call that got no answer within its time limit (the gateway's own per-attempt timeout). */
export class AttemptTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = "AttemptTimeoutError";
  }
}

export interface FailureKind {
  retryable: boolean;
  /** What the provider asked for, when it did. */
  retryAfterMs?: number;
}

/**
 * Milliseconds from `retry-after-ms`, or `retry-after` as seconds or as an HTTP date (relative to `now`).
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  headers: Record<string, string | undefined> | undefined,
  now: number,
): number | undefined {
  if (!headers) return undefined;
  const ms = headers["retry-after-ms"];
  if (ms !== undefined && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers["retry-after"]?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET)$/.test(code))
    return true;
  return error instanceof TypeError && /fetch failed|socket|ECONNRESET|ECONNREFUSED/i.test(error.message);
}

export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * A 2xx answer whose body is not the JSON the provider's schema expects. The AI SDK reports it as an
 * APICallError "Invalid JSON response" carrying the 2xx status (not retryable by its own rule); the
 * parse and validation errors themselves are recognised too in case one escapes unwrapped.
 */
export function isUnreadableResponse(error: unknown): boolean {
  if (APICallError.isInstance(error)) {
    return error.statusCode !== undefined && error.statusCode >= 200 && error.statusCode < 300;
  }
  return (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error)
  );
}

/** Whether retrying `error` can help, and the wait the provider asked for. */
export function classifyFailure(error: unknown, now: number): FailureKind {
  if (error instanceof AttemptTimeoutError) return { retryable: true };
  if (isUnreadableResponse(error)) return { retryable: true };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    // No status: the request never got an answer (connection refused or reset).
    if (status === undefined) return { retryable: error.isRetryable };
    if (!retryableStatus(status)) return { retryable: false };
    return { retryable: true, retryAfterMs: parseRetryAfter(error.responseHeaders, now) };
  }
  return { retryable: isNetworkError(error) };
}

/** The wait before retry number `retry` (0-based) of a failure of kind `kind`. */
export function retryDelay(policy: RetryPolicy, retry: number, kind: FailureKind): number {
  if (kind.retryAfterMs !== undefined) return Math.min(kind.retryAfterMs, policy.maxRetryAfterMs);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(policy.random() * cap);
}
