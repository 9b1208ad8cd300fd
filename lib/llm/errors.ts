// Maps whatever a provider call throws to the core's LlmError(message, retryable, status): the HTTP
// status with the provider's own parsed error message (redacted, cut to 200 characters), never a raw
// body; one message for every connection failure; never a credential.

import { STATUS_CODES } from "node:http";
import { APICallError, RetryError } from "ai";
import { LlmError } from "../core/ports";
import { EgressRefusedError } from "./egress";
import { AttemptTimeoutError, isUnreadableResponse } from "./gateway/retry";
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

/** Longest part of a provider's own message that reaches users. */
export const MAX_PROVIDER_MESSAGE_LENGTH = 200;

/**
 * What users see for every connection failure. Refused, reset, hung up and unresolvable look alike on
 * purpose: telling them apart would let a base URL map which ports of a host are open. The detail goes
 * to the server log (connectionFailureDetail).
 */
export const CONNECTION_FAILED = "cannot reach the provider (connection failed)";

/** The cause of a connection failure, for the server log only; undefined for anything else. */
export function connectionFailureDetail(error: unknown): string | undefined {
  if (APICallError.isInstance(error) && error.statusCode === undefined) return error.message;
  if (isNetworkError(error)) {
    const cause = (error as Error).cause;
    return cause instanceof Error
      ? `${(error as Error).message}: ${cause.message}`
      : (error as Error).message;
  }
  return undefined;
}

/**
 * The message of a JSON error body: `error.message` (OpenAI, Anthropic, Vertex, LiteLLM), `error` as a
 * string (Ollama), `message` (vLLM) or `detail` (FastAPI servers). Undefined for anything else.
 */
export function providerErrorMessage(body: string | undefined): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object") return undefined;
  const { error, message, detail } = parsed as Record<string, unknown>;
  const nested = error && typeof error === "object" ? (error as { message?: unknown }).message : undefined;
  const found = [nested, error, message, detail].find((v) => typeof v === "string" && v.trim() !== "");
  return found as string | undefined;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Status and the provider's parsed message, redacted before it is cut (a cut must not leave half a
 * key). A body that is not a JSON error (an HTML page from a proxy, an internal service's answer) is
 * never echoed: only the status and its standard reason phrase.
 */
function describeHttpFailure(error: APICallError, secrets: readonly string[]): string {
  const status = error.statusCode as number;
  if (isUnreadableResponse(error)) {
    return `HTTP ${status} but the response is not the expected JSON (malformed or truncated)`;
  }
  const message = providerErrorMessage(error.responseBody);
  if (message) return `HTTP ${status}: ${clip(redact(message, secrets), MAX_PROVIDER_MESSAGE_LENGTH)}`;
  const reason = STATUS_CODES[status];
  return reason ? `HTTP ${status} ${reason}` : `HTTP ${status}`;
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
  // Its message says which class of address was refused and what the operator can set; never retried.
  if (error instanceof EgressRefusedError) return make(error.message, false);
  if (connectionFailureDetail(error) !== undefined) return make(CONNECTION_FAILED, true);
  if (APICallError.isInstance(error)) {
    const retryable = error.isRetryable || isUnreadableResponse(error);
    return make(describeHttpFailure(error, context.secrets), retryable, error.statusCode);
  }
  if (isUnreadableResponse(error))
    return make("the response is not the expected JSON (malformed or truncated)", true);
  return make(messageOf(error), false);
}
