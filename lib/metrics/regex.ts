// regex: 1 when the output matches a regular expression.
import { z } from "zod";
import type { MetricDefinition } from "./types";

function compileError(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export const regexOptions = z
  .strictObject({
    /** JavaScript regular expression source, without slashes. Default: each example's expected answer. */
    pattern: z.string().min(1, "must not be empty").optional(),
    /** JavaScript flags, e.g. "i" or "ims". */
    flags: z.string().default(""),
  })
  .superRefine((options, ctx) => {
    const flagError = compileError("", options.flags);
    if (flagError !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["flags"],
        message: `invalid regular expression flags: ${flagError}`,
      });
      return;
    }
    if (options.pattern === undefined) return;
    const patternError = compileError(options.pattern, options.flags);
    if (patternError !== undefined) {
      ctx.addIssue({ code: "custom", path: ["pattern"], message: patternError });
    }
  });

export type RegexOptions = z.output<typeof regexOptions>;

export const regex: MetricDefinition<RegexOptions> = {
  name: "regex",
  description:
    "1 if the output (trimmed) matches options.pattern with options.flags, else 0. Without a pattern, " +
    "each example's expected answer is the pattern; an invalid one fails that example's scoring.",
  options: regexOptions,
  usesLlm: false,
  async score({ output, expected }, options) {
    const pattern = options.pattern ?? expected;
    if (pattern === "")
      throw new Error("no pattern: options.pattern is not set and the expected answer is empty");
    let compiled: RegExp;
    try {
      compiled = new RegExp(pattern, options.flags);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`the expected answer is not a valid regular expression: ${message}`);
    }
    if (compiled.test(output.trim())) return { score: 1 };
    return { score: 0, reason: `output does not match /${pattern}/${options.flags}` };
  },
};
