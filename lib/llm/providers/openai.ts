// OpenAI. Uses Chat Completions (`/v1/chat/completions`) by default: it takes `seed`, and it is what every
// OpenAI-compatible proxy set through OPENAI_BASE_URL speaks. `api: "responses"` opts into the Responses
// API (`/v1/responses`, what the AI SDK's `openai(model)` uses), which ignores `seed`.
import { readEnv, requireApiKey } from "./credentials";
import { lazyEmbeddingModel, lazyLanguageModel } from "./lazy";
import type { ProviderEntry, ProviderModelOptions } from "./types";

/** The SDK's settings, checked now; the SDK itself is loaded on the first call. */
function settings(options: ProviderModelOptions) {
  const resolved = {
    fetch: options.fetch,
    apiKey: requireApiKey(options, "openai", "OPENAI_API_KEY"),
    // Explicit so that the `env` given to the gateway is the only source (the SDK would read process.env).
    baseURL: options.baseURL ?? readEnv(options.env, "OPENAI_BASE_URL") ?? "https://api.openai.com/v1",
  };
  return async () => (await import("@ai-sdk/openai")).createOpenAI(resolved);
}

export const openaiProvider: ProviderEntry = {
  id: "openai",
  envVars: [
    { name: "OPENAI_API_KEY", required: true, description: "API key" },
    { name: "OPENAI_BASE_URL", required: false, description: "endpoint, default https://api.openai.com/v1" },
  ],
  unsupported: (options) => (options.api === "responses" ? ["seed"] : []),
  languageModel(options) {
    const client = settings(options);
    return lazyLanguageModel("openai", options.modelName, async () => {
      const openai = await client();
      return options.api === "responses"
        ? openai.responses(options.modelName)
        : openai.chat(options.modelName);
    });
  },
  embeddingModel(options) {
    const client = settings(options);
    return lazyEmbeddingModel("openai", options.modelName, async () =>
      (await client()).embedding(options.modelName),
    );
  },
};
