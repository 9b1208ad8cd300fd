// lib/llm: the LLM provider layer. "provider:model" ids, the provider registry, prices and the gateway
// that implements the core's LlmPort. Test helpers (the fake OpenAI server) live in ./testing.
export { type CreateLlmOptions, createLlm, type GatewayModelConfig } from "./gateway";
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
