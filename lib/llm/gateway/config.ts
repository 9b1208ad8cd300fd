// Per-model gateway settings and their checks: every limit must be a positive number, and a bad one is
// refused before any call with a message naming the field.
import { InputError } from "../../core/errors";
import type { Price } from "../prices";

export interface RateLimitSettings {
  /** Requests per minute allowed for this model and credential. */
  requestsPerMinute?: number;
  /** Input + output tokens per minute (estimated before a call, corrected with the real usage). */
  tokensPerMinute?: number;
}

export interface GatewayModelConfig {
  /**
   * Where this model's credentials and endpoint come from (a stored credential's variables), instead
   * of the gateway's `env`: two models of one provider can use two accounts or servers.
   */
  env?: Record<string, string | undefined>;
  /** Overrides the provider's endpoint. */
  baseURL?: string;
  /** Environment variable holding this model's API key (instead of the provider's default). */
  apiKeyEnv?: string;
  /** USD per million tokens; overrides the built-in price table. */
  price?: Price;
  /** OpenAI only: "chat" (default, /v1/chat/completions) or "responses" (/v1/responses). */
  api?: "chat" | "responses";
  /** Calls in flight at most (default: no cap); the others wait in a FIFO queue. */
  concurrency?: number;
  /** The provider's limits for this model and credential (shared through Redis when configured). */
  rateLimit?: RateLimitSettings;
  /** Time limit of one attempt in ms (default 120 000); a timed-out attempt is retried. */
  timeoutMs?: number;
  /** Retries after a retryable failure (default 4). */
  maxRetries?: number;
}

function positive(where: string, value: number | undefined, integer = false): void {
  if (value === undefined) return;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new InputError(
      `${where} must be a positive ${integer ? "integer" : "number"} (got ${JSON.stringify(value)})`,
    );
  }
}

/** Throws InputError naming the field (e.g. `models["openai:gpt-4o"].rateLimit.requestsPerMinute`). */
export function checkModelConfig(modelId: string, config: GatewayModelConfig): void {
  const at = `models[${JSON.stringify(modelId)}]`;
  positive(`${at}.concurrency`, config.concurrency, true);
  positive(`${at}.rateLimit.requestsPerMinute`, config.rateLimit?.requestsPerMinute);
  positive(`${at}.rateLimit.tokensPerMinute`, config.rateLimit?.tokensPerMinute);
  positive(`${at}.timeoutMs`, config.timeoutMs);
  positive(`${at}.maxRetries`, config.maxRetries, true);
}

/** Checks the gateway-wide defaults (`maxRetries` may be 0 there: no retries at all). */
export function checkDefaults(defaults: { maxRetries?: number; timeoutMs?: number; ttlSeconds?: number }) {
  if (
    defaults.maxRetries !== undefined &&
    (!Number.isInteger(defaults.maxRetries) || defaults.maxRetries < 0)
  )
    throw new InputError(`maxRetries must be an integer >= 0 (got ${JSON.stringify(defaults.maxRetries)})`);
  positive("timeoutMs", defaults.timeoutMs);
  positive("cache.ttlSeconds", defaults.ttlSeconds);
}
