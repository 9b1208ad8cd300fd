// Maps whatever a provider call throws to the core's LlmError(message, retryable, status), keeping the
// provider's message but never a credential.

import { APICallError, RetryError } from "ai";
import { LlmError } from "../core/ports";
import { AttemptTimeoutError } from "./gateway/retry";
import { ModelIdError } from "./model-id";
import { MissingCredentialError } from "./providers/credentials";
import type { Env } from "./providers/types";

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;

/** Values of secret-looking environment variables (and any extra names), to scrub from messages. */
export function secretsOf(env: Env, extraNames: Iterable<string> = []): string[] {
  const names = new Set(Object.keys(env).filter((name) => SECRET_NAME.test(name)));
  for (const name of extraNames) names.add(name);
  const values: string[] = [];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value && value.length >= 6) values.push(value);
  }
  return values.sort((a, b) => b.length - a.length);
}

export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out.replace(/\b(Bearer|Basic)\s+[^\s"',]+/gi, "$1 [redacted]");
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : "unknown error";
}

/** A network failure that escaped the SDK's own wrapping (undici throws TypeError("fetch failed")). */
function isNetworkError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /fetch failed|failed to fetch|socket|ECONNRESET|ECONNREFUSED/i.test(error.message)
  );
}

/**
 * When an error body is not the JSON error shape the SDK reads its message from (plain text from a proxy,
 * HTML from a gateway), the SDK reports only the status text: append the start of the body.
 */
function withUnparsedBody(message: string, body: string | undefined): string {
  const text = body?.trim();
  if (!text || message.includes(text.slice(0, 40))) return message;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && ("error" in parsed || "message" in parsed)) return message;
  } catch {
    // not JSON: fall through
  }
  return `${message}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

export interface ErrorContext {
  modelId: string;
  signal?: AbortSignal;
  secrets: readonly string[];
}

export function toLlmError(error: unknown, context: ErrorContext): LlmError {
  if (error instanceof LlmError) return error;
  const prefix = `${context.modelId}: `;
  const make = (message: string, retryable: boolean, status?: number) =>
    new LlmError(prefix + redact(message, context.secrets), retryable, status);

  if (context.signal?.aborted || isAbortError(error)) return make("request aborted", false);
  // The gateway's own per-attempt time limit: trying again can help.
  if (error instanceof AttemptTimeoutError) return make(error.message, true);
  // The id error already names the id; a missing credential names the variable to set.
  if (error instanceof ModelIdError) return new LlmError(redact(error.message, context.secrets), false);
  if (error instanceof MissingCredentialError) return make(error.message, false);
  if (RetryError.isInstance(error)) {
    const last = toLlmError(error.lastError, context);
    const attempts =
      error.reason === "maxRetriesExceeded" ? ` (gave up after ${error.errors.length} attempts)` : "";
    return new LlmError(last.message + attempts, last.retryable, last.status);
  }
  if (APICallError.isInstance(error)) {
    return make(withUnparsedBody(error.message, error.responseBody), error.isRetryable, error.statusCode);
  }
  if (isNetworkError(error)) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return make(`cannot connect to the provider${cause}`, true);
  }
  return make(messageOf(error), false);
}
