import { describe, expect, it } from "vitest";
import { scoreWith } from "./testing";
import { squadTokens } from "./text";
import { tokenF1, tokenF1Metric } from "./token-f1";

describe("token_f1", () => {
  it("normalizes like the SQuAD evaluation script", () => {
    expect(squadTokens("The  Denver Broncos!")).toEqual(["denver", "broncos"]);
    expect(squadTokens("Levi's Stadium, an arena")).toEqual(["levis", "stadium", "arena"]);
  });

  it("matches SQuAD v1.1 dev reference values (Super Bowl 50)", async () => {
    // Gold "Denver Broncos" → [denver, broncos]; prediction "The Denver Broncos won" → [denver, broncos, won].
    // common = 2, P = 2/3, R = 2/2 = 1, F1 = 2·(2/3)·1 / (2/3 + 1) = (4/3)/(5/3) = 0.8.
    expect((await scoreWith(tokenF1Metric, "The Denver Broncos won", "Denver Broncos")).score).toBeCloseTo(
      0.8,
      12,
    );

    // Gold "Levi's Stadium in the San Francisco Bay Area at Santa Clara, California." →
    // [levis, stadium, in, san, francisco, bay, area, at, santa, clara, california] (11 tokens, "the" dropped);
    // prediction "Santa Clara, California" → [santa, clara, california]. common = 3,
    // P = 3/3 = 1, R = 3/11, F1 = 2·(3/11) / (1 + 3/11) = (6/11)/(14/11) = 3/7 ≈ 0.428571.
    const result = await scoreWith(
      tokenF1Metric,
      "Santa Clara, California",
      "Levi's Stadium in the San Francisco Bay Area at Santa Clara, California.",
    );
    expect(result.score).toBeCloseTo(3 / 7, 12);
    expect(result.details?.precision).toBe(1);
    expect(result.details?.recall).toBeCloseTo(3 / 11, 12);

    // Prediction "Broncos": P = 1, R = 1/2, F1 = 2·0.5/1.5 = 2/3.
    expect((await scoreWith(tokenF1Metric, "Broncos", "Denver Broncos")).score).toBeCloseTo(2 / 3, 12);
    // Articles and punctuation only differ: 1.
    expect((await scoreWith(tokenF1Metric, "the Broncos.", "Broncos")).score).toBe(1);
  });

  it("counts repeated tokens as a multiset", () => {
    // pred [x, x, y], gold [x, y, y]: common = min(2,1) + min(1,2) = 2; P = R = 2/3; F1 = 2/3.
    expect(tokenF1(["x", "x", "y"], ["x", "y", "y"]).f1).toBeCloseTo(2 / 3, 12);
  });

  it("follows SQuAD v2 for empty answers: both empty 1, one empty 0", () => {
    expect(tokenF1([], []).f1).toBe(1);
    expect(tokenF1(["x"], []).f1).toBe(0);
    expect(tokenF1([], ["x"]).f1).toBe(0);
  });

  it("scores answers without a common token 0, not NaN", () => {
    expect(tokenF1(["a"], ["b"])).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});
