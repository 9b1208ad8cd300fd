// Ports: the only ways the pure core reaches the outside world.
import type { ChatMessage, ModelParams, TokenUsage } from "./types";

export interface LlmRequest {
  /** "provider:model", e.g. "openai:gpt-4o-mini", "sim:default". */
  model: string;
  messages: ChatMessage[];
  params?: ModelParams;
  /** Ask for a JSON object (providers that support a JSON response format use it). */
  json?: boolean;
  /**
   * Response cache, when the gateway has one: "use" (default) answers repeats from it, "bypass" neither
   * reads nor writes it (fresh samples), "refresh" calls the provider and overwrites the entry.
   */
  cache?: "use" | "bypass" | "refresh";
  signal?: AbortSignal;
}

export interface LlmResponse {
  text: string;
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number;
  cached: boolean;
}

export interface EmbedResponse {
  embeddings: number[][];
  usage: { inputTokens: number };
  costUsd: number;
}

/** A failed provider call. `retryable` tells the caller whether trying again can help. */
export class LlmError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = "LlmError";
  }
}

export interface LlmPort {
  generate(request: LlmRequest): Promise<LlmResponse>;
  embed(model: string, texts: string[], signal?: AbortSignal): Promise<EmbedResponse>;
}

/**
 * Durable step execution. `run` returns the stored result when a step with the same id already
 * finished (after a crash or a replay), so a finished step is never paid for twice. Results must be
 * JSON-serializable.
 */
export interface StepRunner {
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  sleep(id: string, ms: number): Promise<void>;
}

export interface Clock {
  now(): number;
}

export interface Progress {
  step: string;
  iteration: number;
  done: number;
  total: number;
  calls: number;
  /** Provider calls that failed (their examples are recorded as failed). */
  failedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  elapsedMs: number;
  etaMs: number | null;
}

export type ProgressSink = (progress: Progress) => void;
