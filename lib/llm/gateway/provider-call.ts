// One attempt at the provider, through the AI SDK model objects (LanguageModelV3.doGenerate and
// embedMany without the SDK's retries): the gateway owns retries, limits and timeouts. Calling the
// model directly instead of generateText saves ~1 ms of CPU per call (see docs/benchmarks.md); for text
// messages the two send the same request.
import type { EmbeddingModelV3, LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { embedMany } from "ai";
import type { LlmRequest } from "../../core/ports";
import type { TokenUsage } from "../../core/types";
import type { UnsupportedSetting } from "../providers/index";
import { AttemptTimeoutError } from "./retry";

export interface AttemptResult {
  text: string;
  usage: TokenUsage;
}

export function toPrompt(request: LlmRequest): LanguageModelV3Prompt {
  return request.messages.map((message) => {
    if (message.role === "system") return { role: "system", content: message.content };
    return { role: message.role, content: [{ type: "text", text: message.content }] };
  });
}

/**
 * Runs `fn` with a signal that aborts when the caller's does or after `timeoutMs`; a timeout surfaces as
 * AttemptTimeoutError (retryable), the caller's abort as whatever the provider threw.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new AttemptTimeoutError(timeoutMs));
  }, timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await fn(controller.signal);
  } catch (error) {
    if (timedOut && !signal?.aborted) throw new AttemptTimeoutError(timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

export async function generateOnce(
  model: LanguageModelV3,
  unsupported: ReadonlySet<UnsupportedSetting>,
  request: LlmRequest,
  abortSignal: AbortSignal,
): Promise<AttemptResult> {
  const params = request.params ?? {};
  const result = await model.doGenerate({
    prompt: toPrompt(request),
    temperature: params.temperature,
    maxOutputTokens: params.maxOutputTokens,
    topP: params.topP,
    seed: unsupported.has("seed") ? undefined : params.seed,
    responseFormat: request.json && !unsupported.has("json") ? { type: "json" } : undefined,
    abortSignal,
  });
  let text = "";
  for (const part of result.content) if (part.type === "text") text += part.text;
  return {
    text,
    usage: {
      inputTokens: result.usage.inputTokens.total ?? 0,
      outputTokens: result.usage.outputTokens.total ?? 0,
    },
  };
}

export async function embedOnce(
  model: EmbeddingModelV3,
  texts: string[],
  abortSignal: AbortSignal,
): Promise<{ embeddings: number[][]; inputTokens: number }> {
  const result = await embedMany({ model, values: texts, maxRetries: 0, abortSignal });
  return { embeddings: result.embeddings, inputTokens: result.usage.tokens ?? 0 };
}
