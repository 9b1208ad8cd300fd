// The LLM gateway: LlmPort over the AI SDK. Resolves "provider:model" ids through the provider registry,
// builds each model once, measures latency, reads usage, prices the call and maps failures to LlmError.
import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { embedMany, generateText, type ModelMessage, wrapLanguageModel } from "ai";
import type { EmbedResponse, LlmPort, LlmRequest, LlmResponse } from "../core/ports";
import { LlmError } from "../core/ports";
import { secretsOf, toLlmError } from "./errors";
import { parseModelId } from "./model-id";
import { costUsd, lookupPrice, type Price } from "./prices";
import { type Env, providers, type UnsupportedSetting } from "./providers/index";

export interface GatewayModelConfig {
  /** Overrides the provider's endpoint. */
  baseURL?: string;
  /** Environment variable holding this model's API key (instead of the provider's default). */
  apiKeyEnv?: string;
  /** USD per million tokens; overrides the built-in price table. */
  price?: Price;
  /** OpenAI only: "chat" (default, /v1/chat/completions) or "responses" (/v1/responses). */
  api?: "chat" | "responses";
}

export interface CreateLlmOptions {
  /** Per-model settings keyed by "provider:model". */
  models?: Record<string, GatewayModelConfig>;
  /** Where credentials come from; default process.env. */
  env?: Env;
  /** Retries the AI SDK makes on retryable failures (default 2; a gateway-level policy will replace them). */
  maxRetries?: number;
}

interface BuiltModels {
  language?: LanguageModelV3;
  languageJson?: LanguageModelV3;
  embedding?: EmbeddingModelV3;
  unsupported?: ReadonlySet<UnsupportedSetting>;
}

/** Asks the provider for a JSON object (responseFormat json without schema) without parsing the answer. */
function jsonMode(model: LanguageModelV3): LanguageModelV3 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v3",
      transformParams: async ({ params }) => ({ ...params, responseFormat: { type: "json" } }),
    },
  });
}

function toModelMessages(request: LlmRequest): ModelMessage[] {
  return request.messages.map((message): ModelMessage => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "assistant":
        return { role: "assistant", content: message.content };
      default:
        return { role: "user", content: message.content };
    }
  });
}

export function createLlm(options: CreateLlmOptions = {}): LlmPort {
  const env = options.env ?? process.env;
  const maxRetries = options.maxRetries ?? 2;
  const configs = options.models ?? {};
  const built = new Map<string, BuiltModels>();
  const secrets = secretsOf(
    env,
    Object.values(configs).flatMap((config) => (config.apiKeyEnv ? [config.apiKeyEnv] : [])),
  );

  function resolve(modelId: string) {
    const parsed = parseModelId(modelId);
    const config = configs[modelId] ?? {};
    const key = `${modelId}\u0000${config.baseURL ?? ""}`;
    let models = built.get(key);
    if (!models) {
      models = {};
      built.set(key, models);
    }
    const providerOptions = {
      modelName: parsed.modelName,
      baseURL: config.baseURL,
      apiKeyEnv: config.apiKeyEnv,
      api: config.api,
      env,
    };
    return { parsed, config, models, providerOptions };
  }

  function languageModel(modelId: string, json: boolean) {
    const { parsed, config, models, providerOptions } = resolve(modelId);
    const provider = providers[parsed.provider];
    // Built on first use; a build that throws (missing credential) is not cached and is retried next call.
    models.language ??= provider.languageModel(providerOptions);
    models.unsupported ??= new Set(provider.unsupported?.(providerOptions) ?? []);
    const useJson = json && !models.unsupported.has("json");
    if (useJson) models.languageJson ??= jsonMode(models.language);
    return {
      model: useJson && models.languageJson ? models.languageJson : models.language,
      unsupported: models.unsupported,
      price: lookupPrice(modelId, config.price),
    };
  }

  function embeddingModel(modelId: string): { model: EmbeddingModelV3; price?: Price } {
    const { parsed, config, models, providerOptions } = resolve(modelId);
    const provider = providers[parsed.provider];
    if (!provider.embeddingModel) {
      throw new LlmError(`${modelId}: provider "${parsed.provider}" has no embedding models`, false);
    }
    models.embedding ??= provider.embeddingModel(providerOptions);
    return { model: models.embedding, price: lookupPrice(modelId, config.price) };
  }

  return {
    async generate(request: LlmRequest): Promise<LlmResponse> {
      const context = { modelId: request.model, signal: request.signal, secrets };
      const started = performance.now();
      try {
        const { model, unsupported, price } = languageModel(request.model, request.json === true);
        const params = request.params ?? {};
        const result = await generateText({
          model,
          messages: toModelMessages(request),
          allowSystemInMessages: true,
          temperature: params.temperature,
          maxOutputTokens: params.maxOutputTokens,
          topP: params.topP,
          seed: unsupported.has("seed") ? undefined : params.seed,
          maxRetries,
          abortSignal: request.signal,
        });
        const latencyMs = performance.now() - started;
        const usage = {
          inputTokens: result.totalUsage.inputTokens ?? 0,
          outputTokens: result.totalUsage.outputTokens ?? 0,
        };
        return { text: result.text, usage, latencyMs, costUsd: costUsd(price, usage), cached: false };
      } catch (error) {
        throw toLlmError(error, context);
      }
    },

    async embed(modelId: string, texts: string[], signal?: AbortSignal): Promise<EmbedResponse> {
      const context = { modelId, signal, secrets };
      try {
        const { model, price } = embeddingModel(modelId);
        if (texts.length === 0) return { embeddings: [], usage: { inputTokens: 0 }, costUsd: 0 };
        const result = await embedMany({ model, values: texts, maxRetries, abortSignal: signal });
        const inputTokens = result.usage.tokens ?? 0;
        return {
          embeddings: result.embeddings,
          usage: { inputTokens },
          costUsd: costUsd(price, { inputTokens }),
        };
      } catch (error) {
        throw toLlmError(error, context);
      }
    },
  };
}
