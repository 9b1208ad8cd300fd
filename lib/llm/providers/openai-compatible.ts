// Any server speaking OpenAI's Chat Completions and Embeddings wire format: Ollama, vLLM, llama.cpp,
// LM Studio, LiteLLM, the loopback fake in lib/llm/testing. Keyless by default.
import { findApiKey, MissingCredentialError, readEnv } from "./credentials";
import { lazyEmbeddingModel, lazyLanguageModel } from "./lazy";
import type { ProviderEntry, ProviderModelOptions } from "./types";

/** Ollama's OpenAI-compatible endpoint. */
export const DEFAULT_OPENAI_COMPATIBLE_BASE_URL = "http://127.0.0.1:11434/v1";

/** The SDK's settings, checked now; the SDK itself is loaded on the first call. */
function settings(options: ProviderModelOptions) {
  const { key, envVar } = findApiKey(options, "OPENAI_COMPATIBLE_API_KEY");
  // A key is optional, unless the model config names its own variable: then that variable must be set.
  if (key === undefined && options.apiKeyEnv !== undefined) {
    throw new MissingCredentialError("openai-compatible", envVar);
  }
  const resolved = {
    name: "openai-compatible",
    baseURL:
      options.baseURL ??
      readEnv(options.env, "OPENAI_COMPATIBLE_BASE_URL") ??
      DEFAULT_OPENAI_COMPATIBLE_BASE_URL,
    apiKey: key,
    includeUsage: true,
    fetch: options.fetch,
  };
  return async () => (await import("@ai-sdk/openai-compatible")).createOpenAICompatible(resolved);
}

export const openaiCompatibleProvider: ProviderEntry = {
  id: "openai-compatible",
  envVars: [
    {
      name: "OPENAI_COMPATIBLE_BASE_URL",
      required: false,
      description: `endpoint, default ${DEFAULT_OPENAI_COMPATIBLE_BASE_URL} (Ollama)`,
    },
    { name: "OPENAI_COMPATIBLE_API_KEY", required: false, description: "API key, if the server wants one" },
  ],
  languageModel(options) {
    const client = settings(options);
    return lazyLanguageModel("openai-compatible", options.modelName, async () =>
      (await client()).chatModel(options.modelName),
    );
  },
  embeddingModel(options) {
    const client = settings(options);
    return lazyEmbeddingModel("openai-compatible", options.modelName, async () =>
      (await client()).embeddingModel(options.modelName),
    );
  },
};
