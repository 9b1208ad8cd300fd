// bleu: sentence BLEU against the expected answer, smoothed with Chen & Cherry (2014) method 1.
import { z } from "zod";
import { countItems, wordAndPunctuationTokens } from "./text";
import type { MetricDefinition } from "./types";

export const bleuOptions = z.strictObject({
  /** Highest n-gram order; weights are uniform (1/maxN each). */
  maxN: z.number().int().min(1).max(8).default(4),
  /** Compare letter case too (BLEU is traditionally case-sensitive; LLM outputs vary in case). */
  caseSensitive: z.boolean().default(false),
});

export type BleuOptions = z.output<typeof bleuOptions>;

/** Epsilon added to the numerator of an n-gram precision with no match (NLTK's method1 default). */
export const BLEU_EPSILON = 0.1;

function ngrams(tokens: readonly string[], n: number): string[] {
  const grams: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) grams.push(tokens.slice(i, i + n).join("\u0000"));
  return grams;
}

export interface BleuResult {
  bleu: number;
  /** Clipped (modified) n-gram precisions before smoothing, index 0 = unigrams. */
  precisions: number[];
  brevityPenalty: number;
}

/**
 * Sentence BLEU with one reference, as NLTK's `sentence_bleu(..., smoothing_function=method1)`:
 * clipped n-gram precisions (denominator at least 1), an order with no match gets
 * `epsilon / denominator`, geometric mean with uniform weights, brevity penalty exp(1 - r/c) when the
 * hypothesis is shorter. No unigram match gives 0. Two empty texts give 1 (NLTK would give 0).
 */
export function sentenceBleu(
  hypothesis: readonly string[],
  reference: readonly string[],
  maxN = 4,
): BleuResult {
  if (hypothesis.length === 0 || reference.length === 0) {
    const same = hypothesis.length === reference.length ? 1 : 0;
    return { bleu: same, precisions: Array(maxN).fill(same), brevityPenalty: same };
  }
  const precisions: number[] = [];
  let logSum = 0;
  let unigramMatches = 0;
  for (let n = 1; n <= maxN; n++) {
    const hypothesisGrams = ngrams(hypothesis, n);
    const referenceCounts = countItems(ngrams(reference, n));
    let matches = 0;
    for (const [gram, count] of countItems(hypothesisGrams))
      matches += Math.min(count, referenceCounts.get(gram) ?? 0);
    const denominator = Math.max(1, hypothesisGrams.length);
    if (n === 1) unigramMatches = matches;
    precisions.push(matches / denominator);
    logSum += Math.log((matches === 0 ? BLEU_EPSILON : matches) / denominator) / maxN;
  }
  const c = hypothesis.length;
  const r = reference.length;
  const brevityPenalty = c > r ? 1 : Math.exp(1 - r / c);
  const bleu = unigramMatches === 0 ? 0 : brevityPenalty * Math.exp(logSum);
  return { bleu, precisions, brevityPenalty };
}

export const bleu: MetricDefinition<BleuOptions> = {
  name: "bleu",
  description:
    "Sentence BLEU of the output against the expected answer: clipped n-gram precisions up to maxN " +
    "(default 4) with uniform weights, brevity penalty, Chen & Cherry smoothing method 1 (epsilon 0.1 " +
    "for orders without a match, as NLTK). Tokens: runs of letters/digits and single punctuation marks; " +
    "case-insensitive by default.",
  options: bleuOptions,
  usesLlm: false,
  async score({ output, expected }, options) {
    const result = sentenceBleu(
      wordAndPunctuationTokens(output, options.caseSensitive),
      wordAndPunctuationTokens(expected, options.caseSensitive),
      options.maxN,
    );
    const details: Record<string, number> = { brevityPenalty: result.brevityPenalty };
    result.precisions.forEach((p, i) => {
      details[`p${i + 1}`] = p;
    });
    return { score: result.bleu, details };
  },
};
