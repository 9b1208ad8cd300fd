import { describe, expect, it } from "vitest";
import type { EmbedResponse, LlmPort } from "@/lib/core/ports";
import { cosineSimilarity, embeddingSimilarity } from "./embedding-similarity";
import { FakeLlm, metricContext, scoreWith } from "./testing";

/** A port whose embed call answers `embeddings` as given (a provider returning something broken). */
function embedsAs(embeddings: unknown): LlmPort {
  return {
    generate: async () => {
      throw new Error("not used");
    },
    embed: async () => ({ embeddings, usage: { inputTokens: 2 }, costUsd: 0 }) as unknown as EmbedResponse,
  };
}

const vectors: Record<string, number[]> = {
  cat: [1, 0, 0],
  kitten: [0.6, 0.8, 0],
  dog: [0, 0, 2],
  "not a cat": [-1, 0, 0],
  zero: [0, 0, 0],
};
const lookup = (text: string) => vectors[text] ?? [1, 1, 1];

describe("embedding_similarity", () => {
  it("scores the cosine of the two embeddings from one embed call", async () => {
    const llm = new FakeLlm([], lookup);
    // cos([1,0,0], [0.6,0.8,0]) = 0.6 / (1 · 1) = 0.6
    const result = await scoreWith(embeddingSimilarity, "cat", "kitten", {}, metricContext(llm, "sim:embed"));
    expect(result.score).toBeCloseTo(0.6, 12);
    expect(result.reason).toBe("cosine similarity 0.6000");
    expect(llm.embedCalls).toEqual([{ model: "sim:embed", texts: ["cat", "kitten"] }]);
  });

  it("uses options.model over the default model", async () => {
    const llm = new FakeLlm([], lookup);
    await scoreWith(
      embeddingSimilarity,
      "cat",
      "dog",
      { model: "openai:text-embedding-3-small" },
      metricContext(llm),
    );
    expect(llm.embedCalls[0]?.model).toBe("openai:text-embedding-3-small");
  });

  it("maps orthogonal and opposite directions to 0 (max(0, cos))", async () => {
    const ctx = metricContext(new FakeLlm([], lookup));
    expect((await scoreWith(embeddingSimilarity, "cat", "dog", {}, ctx)).score).toBe(0);
    const opposite = await scoreWith(embeddingSimilarity, "not a cat", "cat", {}, ctx);
    expect(opposite.score).toBe(0);
    expect(opposite.reason).toBe("cosine similarity -1.0000");
  });

  it("scores empty texts without calling the model", async () => {
    const llm = new FakeLlm([], lookup);
    expect((await scoreWith(embeddingSimilarity, " ", "", {}, metricContext(llm))).score).toBe(1);
    expect((await scoreWith(embeddingSimilarity, "", "cat", {}, metricContext(llm))).score).toBe(0);
    expect(llm.embedCalls).toHaveLength(0);
  });

  it("fails on a zero vector or mismatched dimensions instead of inventing a score", async () => {
    const zero = metricContext(new FakeLlm([], lookup));
    await expect(scoreWith(embeddingSimilarity, "zero", "cat", {}, zero)).rejects.toThrow(
      /zero-length embedding/,
    );
    const ragged = metricContext(new FakeLlm([], (text) => (text === "cat" ? [1, 0] : [1, 0, 0])));
    await expect(scoreWith(embeddingSimilarity, "cat", "dog", {}, ragged)).rejects.toThrow(
      /different dimensions/,
    );
  });

  it("validates the model option", () => {
    expect(() => embeddingSimilarity.options.parse({ model: "no-provider" })).toThrow(/provider:model/);
  });

  it("computes cosine similarity", () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    // [1,1]·[1,0] = 1; |a| = √2, |b| = 1 → 1/√2.
    expect(cosineSimilarity([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("says which text is empty, and treats a blank text as empty", async () => {
    const llm = new FakeLlm([], lookup);
    const score = (output: string, expected: string) =>
      scoreWith(embeddingSimilarity, output, expected, {}, metricContext(llm));
    expect(await score("", "  ")).toEqual({ score: 1, reason: "both texts are empty" });
    expect(await score(" \n", "cat")).toEqual({ score: 0, reason: "the output is empty" });
    expect(await score("cat", "  ")).toEqual({ score: 0, reason: "the expected answer is empty" });
    expect(llm.embedCalls).toHaveLength(0);
  });

  it("fails when the model returns no embedding, or not one per text", async () => {
    const score = (embeddings: unknown) =>
      scoreWith(embeddingSimilarity, "cat", "dog", {}, metricContext(embedsAs(embeddings), "sim:embed"));
    await expect(score([[1, 0]])).rejects.toThrow(
      'embedding model "sim:embed" returned 1 embeddings for 2 texts',
    );
    await expect(score(undefined)).rejects.toThrow(
      'embedding model "sim:embed" returned 0 embeddings for 2 texts',
    );
    await expect(score([[1], [1], [1]])).rejects.toThrow("returned 3 embeddings");
    await expect(score([[], [1]])).rejects.toThrow("the embedding of the output is missing");
    await expect(score([null, [1]])).rejects.toThrow("the embedding of the output is missing");
    await expect(score([[1], []])).rejects.toThrow("the embedding of the expected answer is missing");
  });

  it("fails on non-finite values, in either embedding, wherever they are", async () => {
    const score = (embeddings: unknown) =>
      scoreWith(embeddingSimilarity, "cat", "dog", {}, metricContext(embedsAs(embeddings)));
    await expect(
      score([
        [1, Number.NaN],
        [1, 0],
      ]),
    ).rejects.toThrow("the embedding of the output has non-finite values");
    await expect(
      score([
        [1, 0],
        [Number.POSITIVE_INFINITY, 1],
      ]),
    ).rejects.toThrow("the embedding of the expected answer has non-finite values");
    await expect(
      score([
        [1, 0],
        [0, 0],
      ]),
    ).rejects.toThrow("cannot compare a zero-length embedding");
  });

  it("normalizes by both lengths", () => {
    // [3,4]·[4,3] = 24; |a| = |b| = 5 → 24/25.
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(0.96, 12);
    // [1,0]·[2,2] = 2; |a| = 1, |b| = √8 → 2/√8 = 1/√2.
    expect(cosineSimilarity([1, 0], [2, 2])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosineSimilarity([2, 2], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("takes a model option only as provider:model on one line", () => {
    const parse = (model: string) => embeddingSimilarity.options.safeParse({ model }).success;
    expect(parse("openai:text-embedding-3-small")).toBe(true);
    expect(parse("openai-compatible:my/model")).toBe(true);
    expect(parse("OpenAI:text-embedding-3-small")).toBe(false);
    expect(parse(" openai:text-embedding-3-small")).toBe(false);
    expect(parse("openai:")).toBe(false);
    expect(parse("openai:model\nsecond line")).toBe(false);
  });
});
