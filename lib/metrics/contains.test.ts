import { describe, expect, it } from "vitest";
import { contains } from "./contains";
import { parseMetricOptions } from "./registry";
import { scoreWith } from "./testing";

describe("contains", () => {
  it("finds the expected answer inside the output, ignoring case by default", async () => {
    expect((await scoreWith(contains, "The capital is PARIS, of course.", "Paris")).score).toBe(1);
    expect((await scoreWith(contains, "The capital is Lyon.", "Paris")).score).toBe(0);
  });

  it("caseSensitive compares letter case", async () => {
    expect((await scoreWith(contains, "the capital is paris", "Paris", { caseSensitive: true })).score).toBe(
      0,
    );
  });

  it("collapses whitespace in both texts by default", async () => {
    expect((await scoreWith(contains, "It is in New\n  York.", " New York ")).score).toBe(1);
    expect(
      (await scoreWith(contains, "It is in New\n  York.", "New York", { trimWhitespace: false })).score,
    ).toBe(0);
  });

  it("options.value replaces the expected answer", async () => {
    expect((await scoreWith(contains, "Answer: 42", "something else", { value: "answer:" })).score).toBe(1);
  });

  it("scores an empty needle 0 with a reason instead of matching everything", async () => {
    const result = await scoreWith(contains, "anything", "   ");
    expect(result.score).toBe(0);
    expect(result.reason).toMatch(/empty/);
  });

  it("explains a miss with the normalized needle", async () => {
    expect(await scoreWith(contains, "The capital is Lyon.", "  PARIS ")).toEqual({
      score: 0,
      reason: 'output does not contain "paris"',
    });
  });

  it("ignores case by lowercasing both texts", async () => {
    // "ß" lowercases to itself; uppercasing would turn it into "SS" and match "STRASSE".
    expect((await scoreWith(contains, "Hauptstraße 5", "STRASSE")).score).toBe(0);
    expect((await scoreWith(contains, "Hauptstraße 5", "STRASSE", { caseSensitive: true })).score).toBe(0);
    expect((await scoreWith(contains, "HAUPTSTRASSE 5", "strasse")).score).toBe(1);
  });

  it("refuses an empty options.value, saying why", () => {
    expect(() => parseMetricOptions("contains", { value: "" })).toThrow(
      'Invalid options for metric "contains": value: must not be empty',
    );
  });
});
