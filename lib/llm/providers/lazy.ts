// Models whose SDK package is loaded on their first call, not when Strop starts: a process that uses one
// provider does not compile the others (the Vertex SDK alone pulls in Google's auth library). Credentials
// are still checked when the model is built, so a missing key fails before anything is queued.
import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined; // a failed import may be retried
      throw error;
    });
    return pending;
  };
}

export function lazyLanguageModel(
  provider: string,
  modelId: string,
  load: () => Promise<LanguageModelV3>,
): LanguageModelV3 {
  const model = once(load);
  return {
    specificationVersion: "v3",
    provider,
    modelId,
    get supportedUrls() {
      return model().then((m) => m.supportedUrls);
    },
    doGenerate: async (options) => (await model()).doGenerate(options),
    doStream: async (options) => (await model()).doStream(options),
  };
}

export function lazyEmbeddingModel(
  provider: string,
  modelId: string,
  load: () => Promise<EmbeddingModelV3>,
): EmbeddingModelV3 {
  const model = once(load);
  return {
    specificationVersion: "v3",
    provider,
    modelId,
    get maxEmbeddingsPerCall() {
      return model().then((m) => m.maxEmbeddingsPerCall);
    },
    get supportsParallelCalls() {
      return model().then((m) => m.supportsParallelCalls);
    },
    doEmbed: async (options) => (await model()).doEmbed(options),
  };
}
