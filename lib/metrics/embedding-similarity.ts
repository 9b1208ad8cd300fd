// embedding_similarity: cosine similarity of the embeddings of output and expected answer.
import { z } from "zod";
import { modelOption } from "./model-option";
import type { MetricDefinition } from "./types";

export const embeddingSimilarityOptions = z.strictObject({
  /** Embedding model, "provider:model". Default: the context's default model. */
  model: modelOption,
});

export type EmbeddingSimilarityOptions = z.output<typeof embeddingSimilarityOptions>;

function checkVector(vector: number[] | undefined, which: string, dimension?: number): number[] {
  if (!Array.isArray(vector) || vector.length === 0)
    throw new Error(`the embedding of the ${which} is missing`);
  if (dimension !== undefined && vector.length !== dimension) {
    throw new Error(`the embeddings have different dimensions (${dimension} and ${vector.length})`);
  }
  if (!vector.every(Number.isFinite)) throw new Error(`the embedding of the ${which} has non-finite values`);
  return vector;
}

/** Cosine similarity in [-1, 1]; throws for a zero vector (no direction to compare). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) throw new Error("cannot compare a zero-length embedding");
  // Rounding can push |cos| a hair past 1.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
}

export const embeddingSimilarity: MetricDefinition<EmbeddingSimilarityOptions> = {
  name: "embedding_similarity",
  description:
    "Cosine similarity of the embeddings of output and expected answer (one embed call with both " +
    "texts), mapped to [0, 1] as max(0, cos): opposite or unrelated directions score 0. Two empty " +
    "texts score 1 and one empty text 0, without a call. Option model (default: the run's default model).",
  options: embeddingSimilarityOptions,
  usesLlm: true,
  async score({ output, expected }, options, ctx) {
    const emptyOutput = output.trim() === "";
    const emptyExpected = expected.trim() === "";
    if (emptyOutput || emptyExpected) {
      return emptyOutput && emptyExpected
        ? { score: 1, reason: "both texts are empty" }
        : { score: 0, reason: emptyOutput ? "the output is empty" : "the expected answer is empty" };
    }
    const model = options.model ?? ctx.defaultModel;
    const response = await ctx.llm.embed(model, [output, expected], ctx.signal);
    if (!Array.isArray(response.embeddings) || response.embeddings.length !== 2) {
      throw new Error(
        `embedding model "${model}" returned ${response.embeddings?.length ?? 0} embeddings for 2 texts`,
      );
    }
    const a = checkVector(response.embeddings[0], "output");
    const b = checkVector(response.embeddings[1], "expected answer", a.length);
    const cosine = cosineSimilarity(a, b);
    return { score: Math.max(0, cosine), reason: `cosine similarity ${cosine.toFixed(4)}` };
  },
};
