// What the gateway keeps per model id: its settings, the AI SDK model objects (built on first use), its
// FIFO queue, the key of its rate-limit buckets and the endpoint that goes into cache keys.
import { createHash } from "node:crypto";
import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import { LlmError } from "../../core/ports";
import { type ModelId, parseModelId } from "../model-id";
import { lookupPrice, type Price } from "../prices";
import { type Env, providers, type UnsupportedSetting } from "../providers/index";
import type { GatewayModelConfig } from "./config";
import { FifoQueue } from "./queue";
import { DEFAULT_MAX_RETRIES } from "./retry";

export const DEFAULT_TIMEOUT_MS = 120_000;
/** Output tokens assumed for the token limiter until a model has answered (and no output cap is set). */
const INITIAL_OUTPUT_ESTIMATE = 256;

export interface ModelRuntime {
  id: string;
  parsed: ModelId;
  config: GatewayModelConfig;
  price?: Price;
  queue?: FifoQueue;
  /** Bucket key: provider, a fingerprint of endpoint and credential (never the key), and the model. */
  limitKey: string;
  /** The endpoint when not the provider default (part of the cache key). */
  endpoint?: string;
  maxRetries: number;
  timeoutMs: number;
  /** Running average of output tokens, for the token limiter's estimates. */
  outputEstimate: number;
  language?: LanguageModelV3;
  embedding?: EmbeddingModelV3;
  unsupported?: ReadonlySet<UnsupportedSetting>;
}

export interface ModelDefaults {
  env: Env;
  maxRetries?: number;
  timeoutMs?: number;
  fetch: typeof fetch;
}

function fingerprint(parts: readonly (string | undefined)[]): string {
  return createHash("sha256")
    .update(parts.map((p) => p ?? "").join("\u0000"))
    .digest("hex")
    .slice(0, 16);
}

/** The runtimes of a gateway, created on first use of each model id. */
export class ModelRuntimes {
  private readonly runtimes = new Map<string, ModelRuntime>();

  constructor(
    private readonly configs: Record<string, GatewayModelConfig>,
    private readonly defaults: ModelDefaults,
  ) {}

  get(modelId: string): ModelRuntime {
    const found = this.runtimes.get(modelId);
    if (found) return found;
    const parsed = parseModelId(modelId);
    const config = this.configs[modelId] ?? {};
    const env = config.env ?? this.defaults.env;
    const provider = providers[parsed.provider];
    // The provider's variables (keys, endpoints) and the config's own key: whatever selects the account.
    const envValues = provider.envVars.map((v) => env[v.name]);
    const credential = config.apiKeyEnv ? env[config.apiKeyEnv] : undefined;
    const endpoint =
      config.baseURL ??
      provider.envVars.filter((v) => v.name.endsWith("BASE_URL")).map((v) => env[v.name])[0];
    const created: ModelRuntime = {
      id: modelId,
      parsed,
      config,
      price: lookupPrice(modelId, config.price),
      queue: config.concurrency ? new FifoQueue(config.concurrency) : undefined,
      limitKey: `${parsed.provider}:${fingerprint([config.baseURL, credential, ...envValues])}:${parsed.modelName}`,
      endpoint: endpoint || undefined,
      maxRetries: config.maxRetries ?? this.defaults.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeoutMs: config.timeoutMs ?? this.defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      outputEstimate: INITIAL_OUTPUT_ESTIMATE,
    };
    this.runtimes.set(modelId, created);
    return created;
  }

  private providerOptions(rt: ModelRuntime) {
    return {
      modelName: rt.parsed.modelName,
      baseURL: rt.config.baseURL,
      apiKeyEnv: rt.config.apiKeyEnv,
      api: rt.config.api,
      env: rt.config.env ?? this.defaults.env,
      fetch: this.defaults.fetch,
    };
  }

  /** The AI SDK language model; a build that throws (missing credential) is not kept, so it is retried. */
  language(rt: ModelRuntime): { model: LanguageModelV3; unsupported: ReadonlySet<UnsupportedSetting> } {
    const provider = providers[rt.parsed.provider];
    rt.language ??= provider.languageModel(this.providerOptions(rt));
    rt.unsupported ??= new Set(provider.unsupported?.(this.providerOptions(rt)) ?? []);
    return { model: rt.language, unsupported: rt.unsupported };
  }

  embedding(rt: ModelRuntime): EmbeddingModelV3 {
    const provider = providers[rt.parsed.provider];
    if (!provider.embeddingModel) {
      throw new LlmError(`${rt.id}: provider "${rt.parsed.provider}" has no embedding models`, false);
    }
    rt.embedding ??= provider.embeddingModel(this.providerOptions(rt));
    return rt.embedding;
  }
}
