// The offline simulator (lib/llm/sim) as real AI SDK models, so "sim:*" calls take exactly the path real
// providers take (generateText / embedMany, retries, usage, errors). The simulator is loaded on first use.
import type {
  EmbeddingModelV3,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
} from "@ai-sdk/provider";
import type { ProviderEntry } from "./types";

/** The simulator's entry points (lib/llm/sim/index.ts). */
export interface SimModule {
  simChat(input: {
    model: string;
    messages: { role: "system" | "user" | "assistant"; content: string }[];
    temperature?: number;
    seed?: number;
    json?: boolean;
  }): { text: string; usage: { inputTokens: number; outputTokens: number } };
  simEmbed(texts: string[]): number[][];
}

export type SimMessage = Parameters<SimModule["simChat"]>[0]["messages"][number];

let simModule: Promise<SimModule> | undefined;

export function loadSim(): Promise<SimModule> {
  simModule ??= import("../sim/index").then((mod): SimModule => mod);
  return simModule;
}

/** Flattens an AI SDK prompt to the simulator's text messages (files, tool calls and reasoning are dropped). */
export function toSimMessages(prompt: LanguageModelV3Prompt): SimMessage[] {
  const messages: SimMessage[] = [];
  for (const message of prompt) {
    if (message.role === "system") {
      messages.push({ role: "system", content: message.content });
    } else if (message.role === "user" || message.role === "assistant") {
      const text = message.content
        .map((part) => (part.type === "text" ? part.text : ""))
        .filter((t) => t !== "")
        .join("\n");
      messages.push({ role: message.role, content: text });
    }
  }
  return messages;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error
      ? signal.reason
      : new DOMException("The operation was aborted.", "AbortError");
  }
}

/** A rough token count for simulated embedding usage: ~4 characters per token. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export class SimLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "sim";
  readonly supportedUrls = {};

  constructor(readonly modelId: string) {}

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    throwIfAborted(options.abortSignal);
    const sim = await loadSim();
    throwIfAborted(options.abortSignal);
    const json = options.responseFormat?.type === "json";
    const result = sim.simChat({
      model: this.modelId,
      messages: toSimMessages(options.prompt),
      ...(options.temperature !== undefined && { temperature: options.temperature }),
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(json && { json: true }),
    });
    return {
      content: [{ type: "text", text: result.text }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: {
          total: result.usage.inputTokens,
          noCache: result.usage.inputTokens,
          cacheRead: undefined,
          cacheWrite: undefined,
        },
        outputTokens: {
          total: result.usage.outputTokens,
          text: result.usage.outputTokens,
          reasoning: undefined,
        },
      },
      warnings: [],
    };
  }

  async doStream(options: LanguageModelV3CallOptions) {
    const result = await this.doGenerate(options);
    const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
    const parts: LanguageModelV3StreamPart[] = [
      { type: "stream-start", warnings: [] },
      { type: "text-start", id: "0" },
      { type: "text-delta", id: "0", delta: text },
      { type: "text-end", id: "0" },
      { type: "finish", finishReason: result.finishReason, usage: result.usage },
    ];
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    return { stream };
  }
}

export class SimEmbeddingModel implements EmbeddingModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "sim";
  readonly maxEmbeddingsPerCall = undefined;
  readonly supportsParallelCalls = true;

  constructor(readonly modelId: string) {}

  async doEmbed(options: { values: string[]; abortSignal?: AbortSignal }) {
    throwIfAborted(options.abortSignal);
    const sim = await loadSim();
    return {
      embeddings: sim.simEmbed(options.values),
      usage: { tokens: options.values.reduce((sum, text) => sum + estimateTokens(text), 0) },
      warnings: [],
    };
  }
}

export const simProvider: ProviderEntry = {
  id: "sim",
  envVars: [],
  languageModel: (options) => new SimLanguageModel(options.modelName),
  embeddingModel: (options) => new SimEmbeddingModel(options.modelName),
};
