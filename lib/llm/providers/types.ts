// The shape every provider file implements; the typed registry lives in ./index.ts.
import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";
import type { ProviderId } from "../model-id";

export type Env = Record<string, string | undefined>;

export interface ProviderModelOptions {
  /** The part of the model id after "provider:". */
  modelName: string;
  /** Overrides the provider's default endpoint (and its base-URL environment variable). */
  baseURL?: string;
  /** An explicit API key; wins over the environment. */
  apiKey?: string;
  /** Name of the environment variable holding the key, instead of the provider's default. */
  apiKeyEnv?: string;
  /** OpenAI only: "chat" (Chat Completions, the default) or "responses" (the Responses API). */
  api?: "chat" | "responses";
  /** Where credentials are read from (the gateway passes process.env unless told otherwise). */
  env: Env;
  /** The HTTP client of the provider's calls (the gateway passes its lean keep-alive fetch). */
  fetch?: typeof fetch;
}

/** "json": a JSON response format without a schema. */
export type UnsupportedSetting = "seed" | "json";

export interface ProviderEntry {
  id: ProviderId;
  /** Environment variables the provider reads, for docs and diagnostics (`required` ones fail when missing). */
  envVars: readonly { name: string; required: boolean; description: string }[];
  /**
   * Call settings the model ignores: the gateway leaves them out (no per-call SDK warning); for "json" it
   * then relies on the prompt alone. Default: none.
   */
  unsupported?(options: ProviderModelOptions): readonly UnsupportedSetting[];
  /** Builds an AI SDK language model; throws `MissingCredentialError` when a required credential is absent. */
  languageModel(options: ProviderModelOptions): LanguageModelV3;
  /** Builds an AI SDK embedding model; absent when the provider has none. */
  embeddingModel?(options: ProviderModelOptions): EmbeddingModelV3;
}
