// token_f1: SQuAD-style token overlap F1 between output and expected answer.
import { z } from "zod";
import { countItems, squadTokens } from "./text";
import type { MetricDefinition } from "./types";

export const tokenF1Options = z.strictObject({});

export type TokenF1Options = z.output<typeof tokenF1Options>;

/** Precision, recall and F1 over token multisets; two empty token lists agree (SQuAD v2 rule). */
export function tokenF1(predicted: readonly string[], reference: readonly string[]) {
  if (predicted.length === 0 || reference.length === 0) {
    const same = predicted.length === reference.length ? 1 : 0;
    return { precision: same, recall: same, f1: same };
  }
  const referenceCounts = countItems(reference);
  let common = 0;
  for (const [token, count] of countItems(predicted))
    common += Math.min(count, referenceCounts.get(token) ?? 0);
  if (common === 0) return { precision: 0, recall: 0, f1: 0 };
  const precision = common / predicted.length;
  const recall = common / reference.length;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

export const tokenF1Metric: MetricDefinition<TokenF1Options> = {
  name: "token_f1",
  description:
    "SQuAD-style token F1: both texts are lowercased, stripped of punctuation and of the articles " +
    "a/an/the, split on whitespace; F1 of precision and recall over the token multisets. Two empty " +
    "answers score 1, one empty answer 0. No options.",
  options: tokenF1Options,
  usesLlm: false,
  async score({ output, expected }) {
    const { precision, recall, f1 } = tokenF1(squadTokens(output), squadTokens(expected));
    return { score: f1, details: { precision, recall } };
  },
};
