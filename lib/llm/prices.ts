// Prices in USD per million tokens, used to estimate the cost of each call.
// THIS TABLE IS AN ESTIMATE and goes stale: providers change prices, add tiers (long context, batch,
// cached input) that are not modelled here. Override per model with `price: { input, output }` in the
// model config; a model missing from the table costs 0 unless overridden.
import { parseModelId } from "./model-id";

export interface Price {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens (0 for embedding models). */
  output: number;
}

/** Keyed "provider:model-prefix"; the longest prefix matching a model name wins (dated names, -latest). */
export const PRICES: Readonly<Record<string, Price>> = {
  // OpenAI
  "openai:gpt-4o": { input: 2.5, output: 10 },
  "openai:gpt-4o-mini": { input: 0.15, output: 0.6 },
  "openai:gpt-4.1": { input: 2, output: 8 },
  "openai:gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "openai:gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "openai:gpt-5": { input: 1.25, output: 10 },
  "openai:gpt-5-mini": { input: 0.25, output: 2 },
  "openai:gpt-5-nano": { input: 0.05, output: 0.4 },
  "openai:o3": { input: 2, output: 8 },
  "openai:o3-mini": { input: 1.1, output: 4.4 },
  "openai:o3-pro": { input: 20, output: 80 },
  "openai:o4-mini": { input: 1.1, output: 4.4 },
  "openai:text-embedding-3-small": { input: 0.02, output: 0 },
  "openai:text-embedding-3-large": { input: 0.13, output: 0 },
  "openai:text-embedding-ada-002": { input: 0.1, output: 0 },
  // Anthropic
  "anthropic:claude-opus-4-5": { input: 5, output: 25 },
  "anthropic:claude-opus-4-1": { input: 15, output: 75 },
  "anthropic:claude-opus-4": { input: 15, output: 75 },
  "anthropic:claude-sonnet-4": { input: 3, output: 15 },
  "anthropic:claude-haiku-4-5": { input: 1, output: 5 },
  "anthropic:claude-3-7-sonnet": { input: 3, output: 15 },
  "anthropic:claude-3-5-sonnet": { input: 3, output: 15 },
  "anthropic:claude-3-5-haiku": { input: 0.8, output: 4 },
  "anthropic:claude-3-haiku": { input: 0.25, output: 1.25 },
  // Google Vertex (standard tier, prompts up to 200k tokens)
  "vertex:gemini-2.5-pro": { input: 1.25, output: 10 },
  "vertex:gemini-2.5-flash": { input: 0.3, output: 2.5 },
  "vertex:gemini-2.5-flash-lite": { input: 0.1, output: 0.4 },
  "vertex:gemini-2.0-flash": { input: 0.15, output: 0.6 },
  "vertex:gemini-2.0-flash-lite": { input: 0.075, output: 0.3 },
  "vertex:gemini-embedding-001": { input: 0.15, output: 0 },
  // text-embedding-005 is billed per character; ~4 characters per token.
  "vertex:text-embedding-005": { input: 0.1, output: 0 },
  "vertex:text-multilingual-embedding-002": { input: 0.1, output: 0 },
};

/** Providers whose calls cost nothing unless a price is configured. */
const FREE_PROVIDERS = new Set(["sim", "openai-compatible"]);
const FREE: Price = { input: 0, output: 0 };

/**
 * The price of a model: the override if given, else the table entry whose "provider:prefix" is the longest
 * prefix of the id, else 0 for sim and openai-compatible, else undefined (unknown model).
 */
export function lookupPrice(modelId: string, override?: Price): Price | undefined {
  if (override) return override;
  const exact = PRICES[modelId];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(PRICES)) {
    if (modelId.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  if (best !== undefined) return PRICES[best];
  return FREE_PROVIDERS.has(parseModelId(modelId).provider) ? FREE : undefined;
}

/** USD for a call's tokens; 0 when the price is unknown. */
export function costUsd(
  price: Price | undefined,
  usage: { inputTokens: number; outputTokens?: number },
): number {
  if (!price) return 0;
  return (usage.inputTokens * price.input + (usage.outputTokens ?? 0) * price.output) / 1_000_000;
}
