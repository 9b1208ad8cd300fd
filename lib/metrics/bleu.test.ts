import { describe, expect, it } from "vitest";
import { bleu, sentenceBleu } from "./bleu";
import { scoreWith } from "./testing";

const split = (text: string) => text.split(" ");

describe("bleu", () => {
  it("matches NLTK sentence_bleu on its classic example (one reference)", () => {
    // NLTK docs' hypothesis1 / reference1, tokens as given (case-sensitive):
    const hypothesis = split(
      "It is a guide to action which ensures that the military always obeys the commands of the party",
    ); // 18 tokens
    const reference = split(
      "It is a guide to action that ensures that the military will forever heed Party commands",
    ); // 16
    // p1: clipped unigram matches It,is,a,guide,to,action,ensures,that,the(3→1),military,commands = 11/18
    //     ("which", "always", "obeys", "of", "party" ≠ "Party" miss).
    // p2: It is, is a, a guide, guide to, to action, ensures that, that the, the military = 8/17.
    // p3: It is a, is a guide, a guide to, guide to action, ensures that the, that the military = 6/16.
    // p4: It is a guide, is a guide to, a guide to action, ensures that the military = 4/15.
    // c = 18 > r = 16 → BP = 1. No zero counts, so smoothing changes nothing.
    // BLEU = (11/18 · 8/17 · 6/16 · 4/15)^(1/4) = (2112/73440)^(1/4) = 0.0287582^(1/4) ≈ 0.4118038
    // (= nltk.translate.bleu_score.sentence_bleu([reference1], hypothesis1)).
    const result = sentenceBleu(hypothesis, reference);
    expect(result.bleu).toBeCloseTo(0.41180376356915777, 12);
    expect(result.precisions).toEqual([11 / 18, 8 / 17, 6 / 16, 4 / 15]);
    expect(result.brevityPenalty).toBe(1);
  });

  it("smooths an order without matches with Chen & Cherry method 1 (epsilon 0.1)", async () => {
    // hyp "the cat sat on the mat", ref "the cat is on the mat" (6 tokens each → BP = 1).
    // p1 = 5/6 (the×2, cat, on, mat); p2 = 3/5 (the cat, on the, the mat); p3 = 1/4 (on the mat);
    // p4 = 0/3 → method1: 0.1/3.
    // BLEU = (5/6 · 3/5 · 1/4 · 0.1/3)^(1/4) = (0.00416667)^(1/4) ≈ 0.2540664
    // (NLTK: sentence_bleu([ref], hyp, smoothing_function=SmoothingFunction().method1)).
    const result = await scoreWith(bleu, "the cat sat on the mat", "the cat is on the mat");
    expect(result.score).toBeCloseTo(0.25406637407730737, 12);
    expect(result.details).toEqual({ brevityPenalty: 1, p1: 5 / 6, p2: 3 / 5, p3: 1 / 4, p4: 0 });
  });

  it("applies the brevity penalty to a short hypothesis", () => {
    // hyp "the cat" (c = 2), ref "the cat sat on the mat" (r = 6).
    // p1 = 2/2, p2 = 1/1; no trigram or 4-gram in the hypothesis: 0/max(1,0) → method1: 0.1/1 each.
    // Geometric mean = (1 · 1 · 0.1 · 0.1)^(1/4) = 0.01^(1/4) = 0.3162278; BP = exp(1 − 6/2) = e^−2 = 0.1353353.
    // BLEU = 0.3162278 · 0.1353353 ≈ 0.0427968.
    const result = sentenceBleu(split("the cat"), split("the cat sat on the mat"));
    expect(result.bleu).toBeCloseTo(0.042796774281170055, 12);
    expect(result.brevityPenalty).toBeCloseTo(Math.exp(-2), 12);
  });

  it("is case-insensitive and splits punctuation by default", async () => {
    expect((await scoreWith(bleu, "The cat sat on the mat.", "the cat sat on the mat .")).score).toBeCloseTo(
      1,
      12,
    );
    // Case-insensitive, "party" now matches "Party": p1 = 12/18, p2..p4 unchanged.
    const output =
      "It is a guide to action which ensures that the military always obeys the commands of the party";
    const expected =
      "It is a guide to action that ensures that the military will forever heed Party commands";
    const folded = await scoreWith(bleu, output, expected);
    expect(folded.score).toBeCloseTo((((((((12 / 18) * 8) / 17) * 6) / 16) * 4) / 15) ** 0.25, 12);
    const exact = await scoreWith(bleu, output, expected, { caseSensitive: true });
    expect(exact.score).toBeCloseTo(0.41180376356915777, 12);
  });

  it("maxN changes the orders (uniform weights 1/maxN)", async () => {
    // maxN = 2 on the smoothing pair: (5/6 · 3/5)^(1/2) = 0.5^(1/2) ≈ 0.7071068.
    const result = await scoreWith(bleu, "the cat sat on the mat", "the cat is on the mat", { maxN: 2 });
    expect(result.score).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("scores no unigram match 0 (as NLTK) and two empty texts 1", () => {
    expect(sentenceBleu(["a"], ["b"]).bleu).toBe(0);
    expect(sentenceBleu([], []).bleu).toBe(1);
    expect(sentenceBleu([], ["b"]).bleu).toBe(0);
  });

  it("an empty expected answer scores 0 with every detail 0, and two empty texts 1 with every detail 1", async () => {
    expect(sentenceBleu(["a", "b"], [])).toEqual({ bleu: 0, precisions: [0, 0, 0, 0], brevityPenalty: 0 });
    expect(sentenceBleu([], [], 2)).toEqual({ bleu: 1, precisions: [1, 1], brevityPenalty: 1 });
    expect((await scoreWith(bleu, "", "", { maxN: 2 })).details).toEqual({ brevityPenalty: 1, p1: 1, p2: 1 });
  });

  it("never matches an n-gram across token boundaries (ab·c is not a·bc)", () => {
    // Unigrams: none shared. Bigrams "ab c" and "a bc" differ even though their letters agree.
    expect(sentenceBleu(["ab", "c"], ["a", "bc"], 2).precisions).toEqual([0, 0]);
    expect(sentenceBleu(["x", "ab", "c"], ["x", "a", "bc"], 2).precisions).toEqual([1 / 3, 0]);
  });
});
