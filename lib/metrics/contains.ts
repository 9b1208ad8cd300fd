// contains: 1 when the output contains the expected answer (or a fixed value).
import { z } from "zod";
import { collapseWhitespace, preview } from "./text";
import type { MetricDefinition } from "./types";

export const containsOptions = z.strictObject({
  /** Look for this text instead of the example's expected answer. */
  value: z.string().min(1, "must not be empty").optional(),
  /** Compare letter case too. */
  caseSensitive: z.boolean().default(false),
  /** Trim and collapse runs of whitespace in both texts before searching. */
  trimWhitespace: z.boolean().default(true),
});

export type ContainsOptions = z.output<typeof containsOptions>;

function normalize(text: string, options: ContainsOptions): string {
  let result = text.normalize("NFC");
  if (options.trimWhitespace) result = collapseWhitespace(result);
  return options.caseSensitive ? result : result.toLowerCase();
}

export const contains: MetricDefinition<ContainsOptions> = {
  name: "contains",
  description:
    "1 if the output contains the expected answer (or options.value), else 0. Case-insensitive and " +
    "whitespace-collapsed by default. An empty needle scores 0 with a reason (it would match anything).",
  options: containsOptions,
  usesLlm: false,
  async score({ output, expected }, options) {
    const needle = normalize(options.value ?? expected, options);
    if (needle === "") return { score: 0, reason: "nothing to look for: the expected answer is empty" };
    if (normalize(output, options).includes(needle)) return { score: 1 };
    return { score: 0, reason: `output does not contain ${preview(needle)}` };
  },
};
