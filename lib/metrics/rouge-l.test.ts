import { describe, expect, it } from "vitest";
import { lcsLength, rougeL, rougeLMetric } from "./rouge-l";
import { scoreWith } from "./testing";

describe("rouge_l", () => {
  it("matches Lin (2004)'s textbook example", async () => {
    // Reference S1 "police killed the gunman".
    // S2 "police kill the gunman": LCS = "police the gunman" = 3 → P = R = 3/4 → F = 0.75.
    // S3 "the gunman kill police": LCS = "the gunman" = 2 → P = R = 2/4 → F = 0.5.
    expect((await scoreWith(rougeLMetric, "police kill the gunman", "police killed the gunman")).score).toBe(
      0.75,
    );
    expect((await scoreWith(rougeLMetric, "the gunman kill police", "police killed the gunman")).score).toBe(
      0.5,
    );
  });

  it("weights recall with beta", async () => {
    // candidate "the cat was found under the bed" (7), reference "the cat sat on the mat" (6):
    // LCS = "the cat the" = 3; P = 3/7, R = 3/6.
    // beta 1: F = 2PR/(P+R) = (3/7)/(13/14) = 6/13 ≈ 0.461538.
    // beta 2: F = 5PR/(R+4P) = (15/14)/(1/2 + 12/7) = (15/14)/(31/14) = 15/31 ≈ 0.483871.
    const candidate = "The cat was found under the bed.";
    const reference = "the cat sat on the mat";
    const f1 = await scoreWith(rougeLMetric, candidate, reference);
    expect(f1.score).toBeCloseTo(6 / 13, 12);
    expect(f1.details).toEqual({ precision: 3 / 7, recall: 0.5 });
    expect((await scoreWith(rougeLMetric, candidate, reference, { beta: 2 })).score).toBeCloseTo(15 / 31, 12);
  });

  it("computes the LCS length", () => {
    // Classic CLRS example: LCS("ABCBDAB", "BDCABA") = 4 (e.g. BCBA).
    expect(lcsLength([..."ABCBDAB"], [..."BDCABA"])).toBe(4);
    expect(lcsLength([], ["a"])).toBe(0);
  });

  it("handles empty texts", () => {
    expect(rougeL([], []).f).toBe(1);
    expect(rougeL(["a"], []).f).toBe(0);
  });

  it("scores texts without a common token 0, not NaN", () => {
    expect(rougeL(["a"], ["b"])).toEqual({ precision: 0, recall: 0, f: 0 });
    expect(lcsLength(["a"], [])).toBe(0);
  });
});
