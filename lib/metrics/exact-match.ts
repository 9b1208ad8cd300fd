// exact_match: 1 when the output equals the expected answer after the chosen normalizations.
import { z } from "zod";
import { collapseWhitespace, preview, removePunctuation, stripSurroundingQuotes } from "./text";
import type { MetricDefinition } from "./types";

export const exactMatchOptions = z.strictObject({
  /** Compare letter case too. */
  caseSensitive: z.boolean().default(false),
  /** Trim both ends and collapse inner runs of whitespace to one space. */
  trimWhitespace: z.boolean().default(true),
  /** Remove punctuation (Unicode punctuation and ASCII symbols) before comparing. */
  ignorePunctuation: z.boolean().default(false),
  /** Remove one pair of quotes ("…", '…', `…`, “…”, ‘…’, «…») wrapping the whole text. */
  stripQuotes: z.boolean().default(true),
});

export type ExactMatchOptions = z.output<typeof exactMatchOptions>;

export function normalizeForExactMatch(text: string, options: ExactMatchOptions): string {
  let result = text.normalize("NFC");
  if (options.trimWhitespace) result = collapseWhitespace(result);
  if (options.stripQuotes) {
    result = stripSurroundingQuotes(result);
    if (options.trimWhitespace) result = collapseWhitespace(result);
  }
  if (options.ignorePunctuation) {
    result = removePunctuation(result);
    if (options.trimWhitespace) result = collapseWhitespace(result);
  }
  return options.caseSensitive ? result : result.toLowerCase();
}

export const exactMatch: MetricDefinition<ExactMatchOptions> = {
  name: "exact_match",
  description:
    "1 if the output equals the expected answer, else 0. Both are Unicode-normalized (NFC); by default " +
    "whitespace is trimmed and collapsed, one pair of quotes wrapping the whole text is removed " +
    "(stripQuotes) and case is ignored; punctuation can be ignored too.",
  options: exactMatchOptions,
  usesLlm: false,
  async score({ output, expected }, options) {
    const got = normalizeForExactMatch(output, options);
    const want = normalizeForExactMatch(expected, options);
    if (got === want) return { score: 1 };
    return { score: 0, reason: `expected ${preview(want)}, got ${preview(got)}` };
  },
};
