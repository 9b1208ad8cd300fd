import { describe, expect, it } from "vitest";
import { regex } from "./regex";
import { parseMetricOptions } from "./registry";
import { scoreWith } from "./testing";

describe("regex", () => {
  it("scores 1 when the trimmed output matches the pattern", async () => {
    expect((await scoreWith(regex, "positive\n", "", { pattern: "^(positive|negative)$" })).score).toBe(1);
    const miss = await scoreWith(regex, "neutral", "", { pattern: "^(positive|negative)$" });
    expect(miss.score).toBe(0);
    expect(miss.reason).toBe("output does not match /^(positive|negative)$/");
  });

  it("applies the flags", async () => {
    expect((await scoreWith(regex, "POSITIVE", "", { pattern: "^positive$" })).score).toBe(0);
    expect((await scoreWith(regex, "POSITIVE", "", { pattern: "^positive$", flags: "i" })).score).toBe(1);
  });

  it("uses each example's expected answer as the pattern when options.pattern is not set", async () => {
    expect((await scoreWith(regex, "order #1234 shipped", "#\\d{4}")).score).toBe(1);
    await expect(scoreWith(regex, "x", "(")).rejects.toThrow(
      /expected answer is not a valid regular expression/,
    );
  });

  it("rejects an invalid pattern at option validation, naming the field", () => {
    expect(() => parseMetricOptions("regex", { pattern: "([a-z]+" })).toThrow(
      /Invalid options for metric "regex": pattern: Invalid regular expression/,
    );
    try {
      parseMetricOptions("regex", { pattern: "(" });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ metric: "regex", field: "pattern", code: "invalid_metric_config" });
    }
  });

  it("rejects invalid flags, naming the flags field", () => {
    expect(() => parseMetricOptions("regex", { pattern: "a", flags: "q" })).toThrow(
      /flags: invalid regular expression flags/,
    );
  });

  it("refuses an empty pattern option, saying why", () => {
    expect(() => parseMetricOptions("regex", { pattern: "" })).toThrow(
      'Invalid options for metric "regex": pattern: must not be empty',
    );
  });

  it("fails an example that has neither a pattern option nor an expected answer (it would match anything)", async () => {
    await expect(scoreWith(regex, "anything", "")).rejects.toThrow(
      "no pattern: options.pattern is not set and the expected answer is empty",
    );
  });
});
