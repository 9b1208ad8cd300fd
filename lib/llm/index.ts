// lib/llm: the LLM provider layer. "provider:model" ids, the provider registry, prices, the egress policy
// of provider calls and the gateway that implements the core's LlmPort (cache, limits, retries,
// accounting: ./gateway/). Test helpers (the fake OpenAI server) live in ./testing.

export {
  type AddressClass,
  checkEgress,
  classifyAddress,
  EGRESS_ALLOW_ENV,
  type EgressPolicy,
  EgressRefusedError,
  EgressSettingError,
  egressPolicyFromEnv,
  PUBLIC_ONLY,
  parseEgressAllow,
} from "./egress";
export {
  type CallStats,
  type CreateLlmOptions,
  createLlm,
  type Gateway,
  type GatewayCacheOptions,
  type GatewayModelConfig,
  type GatewayStats,
  type LatencySummary,
  type RateLimitSettings,
} from "./gateway";
export { type CacheStore, cacheKey, MemoryCacheStore } from "./gateway/cache";
export { createDbCacheStore, type LlmCacheRepository } from "./gateway/db-cache";
export {
  isProviderId,
  type ModelId,
  ModelIdError,
  PROVIDER_IDS,
  type ProviderId,
  parseModelId,
} from "./model-id";
export { costUsd, lookupPrice, PRICES, type Price } from "./prices";
export {
  type Env,
  MissingCredentialError,
  type ProviderEntry,
  type ProviderModelOptions,
  providers,
  type UnsupportedSetting,
} from "./providers/index";
