// rouge_l: ROUGE-L F-measure from the longest common subsequence of tokens (Lin, 2004).
import { z } from "zod";
import { wordTokens } from "./text";
import type { MetricDefinition } from "./types";

export const rougeLOptions = z.strictObject({
  /** Weight of recall against precision in the F-measure (1 = harmonic mean). */
  beta: z.number().positive().max(100).default(1),
  /** Compare letter case too. */
  caseSensitive: z.boolean().default(false),
});

export type RougeLOptions = z.output<typeof rougeLOptions>;

/** Length of the longest common subsequence, O(|a|·|b|) time, O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/** ROUGE-L: R = LCS/|reference|, P = LCS/|candidate|, F = (1+β²)PR / (R + β²P). */
export function rougeL(candidate: readonly string[], reference: readonly string[], beta = 1) {
  if (candidate.length === 0 || reference.length === 0) {
    const same = candidate.length === reference.length ? 1 : 0;
    return { precision: same, recall: same, f: same };
  }
  const lcs = lcsLength(candidate, reference);
  if (lcs === 0) return { precision: 0, recall: 0, f: 0 };
  const precision = lcs / candidate.length;
  const recall = lcs / reference.length;
  const b2 = beta * beta;
  return { precision, recall, f: ((1 + b2) * precision * recall) / (recall + b2 * precision) };
}

export const rougeLMetric: MetricDefinition<RougeLOptions> = {
  name: "rouge_l",
  description:
    "ROUGE-L F-measure of the output against the expected answer: longest common subsequence of " +
    "tokens (runs of letters/digits, case-insensitive by default), F = (1+β²)PR/(R+β²P) with beta " +
    "default 1. Two empty texts score 1.",
  options: rougeLOptions,
  usesLlm: false,
  async score({ output, expected }, options) {
    const { precision, recall, f } = rougeL(
      wordTokens(output, options.caseSensitive),
      wordTokens(expected, options.caseSensitive),
      options.beta,
    );
    return { score: f, details: { precision, recall } };
  },
};
