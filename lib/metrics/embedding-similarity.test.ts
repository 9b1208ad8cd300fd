import { describe, expect, it } from "vitest";
import { cosineSimilarity, embeddingSimilarity } from "./embedding-similarity";
import { FakeLlm, metricContext, scoreWith } from "./testing";

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
});
