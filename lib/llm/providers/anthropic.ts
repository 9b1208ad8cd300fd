// Anthropic Messages API (`{baseURL}/messages`). Anthropic has no embedding models.
import { requireApiKey } from "./credentials";
import { lazyLanguageModel } from "./lazy";
import type { ProviderEntry } from "./types";

export const anthropicProvider: ProviderEntry = {
  id: "anthropic",
  envVars: [{ name: "ANTHROPIC_API_KEY", required: true, description: "API key" }],
  // No seed parameter; JSON output needs a schema (tool or structured output), so plain JSON mode relies on
  // the prompt.
  unsupported: () => ["seed", "json"],
  languageModel(options) {
    const settings = {
      fetch: options.fetch,
      apiKey: requireApiKey(options, "anthropic", "ANTHROPIC_API_KEY"),
      baseURL: options.baseURL ?? "https://api.anthropic.com/v1",
    };
    return lazyLanguageModel("anthropic", options.modelName, async () =>
      (await import("@ai-sdk/anthropic")).createAnthropic(settings).languageModel(options.modelName),
    );
  },
};
