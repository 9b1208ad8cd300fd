import { describe, expect, it } from "vitest";
import { fieldValue, jsonMatch, jsonValuesEqual } from "./json-match";
import { parseMetricOptions } from "./registry";
import { scoreWith } from "./testing";

const expected = JSON.stringify({ name: "Ada", price: 12.5, tags: ["a", "b"], note: null });
// name: " ada " = "Ada" (trimmed, case-insensitive); price: "12.50" = 12.5 (numeric);
// tags: ["a","c"] ≠ ["a","b"]; note: missing = null. → 3 of 4 fields match.
const output =
  'Here you go:\n```json\n{"name": " ada ", "price": "12.50", "tags": ["a", "c"]}\n```\nAnything else?';

describe("json_match", () => {
  it("per_field scores the fraction of matching fields, with details per field", async () => {
    const result = await scoreWith(jsonMatch, output, expected);
    expect(result.score).toBe(0.75);
    expect(result.details).toEqual({ name: 1, price: 1, tags: 0, note: 1 });
    expect(result.reason).toBe('3/4 fields match; mismatched: tags (expected ["a","b"], got ["a","c"])');
  });

  it("all_fields scores 1 only when every field matches", async () => {
    expect((await scoreWith(jsonMatch, output, expected, { mode: "all_fields" })).score).toBe(0);
    const allMatch = '{"name":"ADA","price":12.50,"tags":["A","B"]}';
    expect((await scoreWith(jsonMatch, allMatch, expected, { mode: "all_fields" })).score).toBe(1);
  });

  it("fields restricts the comparison", async () => {
    const result = await scoreWith(jsonMatch, output, expected, { fields: ["name", "price"] });
    expect(result).toEqual({ score: 1, details: { name: 1, price: 1 } });
  });

  it("caseSensitive compares string case", async () => {
    // name now differs: 2 of 4.
    expect((await scoreWith(jsonMatch, output, expected, { caseSensitive: true })).score).toBe(0.5);
  });

  it("reads a JSON object surrounded by prose", async () => {
    const result = await scoreWith(
      jsonMatch,
      'Sure! The result is {"label": "spam"} as requested.',
      '{"label":"spam"}',
    );
    expect(result.score).toBe(1);
  });

  it("reaches nested fields with dotted paths", async () => {
    const want = '{"address": {"city": "Paris", "zip": "75001"}}';
    const got = '{"address": {"city": "paris", "zip": "75002"}}';
    const result = await scoreWith(jsonMatch, got, want, { fields: ["address.city", "address.zip"] });
    expect(result.score).toBe(0.5);
    expect(result.details).toEqual({ "address.city": 1, "address.zip": 0 });
  });

  it("scores unparseable output 0 with a reason", async () => {
    const result = await scoreWith(jsonMatch, "I cannot answer that.", expected);
    expect(result.score).toBe(0);
    expect(result.reason).toMatch(/^output is not parseable JSON/);
  });

  it("compares non-object expected values as a whole", async () => {
    expect((await scoreWith(jsonMatch, "[1, 2]", "[1, 2.0]")).score).toBe(1);
    expect((await scoreWith(jsonMatch, "[2, 1]", "[1, 2]")).score).toBe(0);
  });

  it("fails the example when the expected answer is not JSON", async () => {
    await expect(scoreWith(jsonMatch, "{}", "not json")).rejects.toThrow(/expected answer is not valid JSON/);
  });

  it("normalizes values: numbers, null vs missing, nested objects", () => {
    expect(jsonValuesEqual(12.5, "12.50", false)).toBe(true);
    expect(jsonValuesEqual("1e3", 1000, false)).toBe(true);
    expect(jsonValuesEqual(12.5, "12.5 dollars", false)).toBe(false);
    // Two strings compare as strings: zip codes keep their leading zeros.
    expect(jsonValuesEqual("02134", "2134", false)).toBe(false);
    expect(jsonValuesEqual(null, undefined, false)).toBe(true);
    expect(jsonValuesEqual(null, "", false)).toBe(false);
    expect(jsonValuesEqual(true, "true", false)).toBe(false);
    expect(jsonValuesEqual({ a: { b: 1, c: null } }, { a: { b: "1" } }, false)).toBe(true);
  });
});

describe("json_match normalization rules", () => {
  it("reads numeric strings of every JSON number shape, trimmed, and nothing else", () => {
    for (const [number, text] of [
      [5, "+5"],
      [-2.5, "-2.5"],
      [0.5, ".5"],
      [0.25, ".25"],
      [12, "12."],
      [1000, "1e+3"],
      [1e10, "1e10"],
      [0.001, "1E-3"],
      [12, " 12 "],
    ] as const)
      expect(jsonValuesEqual(number, text, false), text).toBe(true);
    // Strings JavaScript would turn into numbers, but that are not numbers in JSON or in prose.
    for (const [number, text] of [
      [16, "0x10"],
      [3, "0b11"],
      [0, ""],
      [0, " "],
      [12, "12 dollars"],
      [1000, "1_000"],
    ] as const)
      expect(jsonValuesEqual(number, text, false), text).toBe(false);
    expect(jsonValuesEqual(0, "", false)).toBe(false);
    expect(jsonValuesEqual(16, "0x10", false)).toBe(false);
    expect(jsonValuesEqual(3, "0b11", false)).toBe(false);
    expect(jsonValuesEqual(1, "one", false)).toBe(false);
  });

  it("never equates a number with a boolean", () => {
    expect(jsonValuesEqual(1, true, false)).toBe(false);
    expect(jsonValuesEqual(0, false, false)).toBe(false);
  });

  it("compares numbers with a relative tolerance of 1e-9", () => {
    expect(jsonValuesEqual(0.3, 0.1 + 0.2, false)).toBe(true);
    expect(jsonValuesEqual(1e12, 1e12 + 1, false)).toBe(true);
    expect(jsonValuesEqual(1e12, 1e12 + 10_000, false)).toBe(false);
    expect(jsonValuesEqual(1, 1.001, false)).toBe(false);
    // JSON numbers beyond a double's range are Infinity on both sides, and equal.
    expect(jsonValuesEqual(JSON.parse("1e999"), "1e999", false)).toBe(true);
  });

  it("treats null and missing alike, and nothing else as either", () => {
    expect(jsonValuesEqual(undefined, null, false)).toBe(true);
    expect(jsonValuesEqual(undefined, undefined, false)).toBe(true);
    expect(jsonValuesEqual(undefined, 0, false)).toBe(false);
    expect(jsonValuesEqual("x", null, false)).toBe(false);
    expect(jsonValuesEqual({ a: 1 }, undefined, false)).toBe(false);
    expect(jsonValuesEqual([], null, false)).toBe(false);
  });

  it("compares strings trimmed on both sides, case-folded unless caseSensitive", () => {
    expect(jsonValuesEqual(" ada ", "ada", false)).toBe(true);
    expect(jsonValuesEqual("Ada", "ada", true)).toBe(false);
    expect(jsonValuesEqual(" Ada", "Ada ", true)).toBe(true);
  });

  it("never equates values of different kinds", () => {
    expect(jsonValuesEqual("a", ["a"], false)).toBe(false);
    expect(jsonValuesEqual(["a"], "a", false)).toBe(false);
    expect(jsonValuesEqual({}, "", false)).toBe(false);
    expect(jsonValuesEqual({}, true, false)).toBe(false);
    expect(jsonValuesEqual(true, false, false)).toBe(false);
    expect(jsonValuesEqual(true, true, false)).toBe(true);
  });

  it("compares arrays item by item and length, objects key by key on both sides", () => {
    expect(jsonValuesEqual([1], [1, 2], false)).toBe(false);
    expect(jsonValuesEqual([1, 2], [1], false)).toBe(false);
    expect(jsonValuesEqual({ a: 1 }, { a: 2 }, false)).toBe(false);
    expect(jsonValuesEqual({ a: 1, b: 2 }, { a: 1, b: 3 }, false)).toBe(false);
    expect(jsonValuesEqual({ a: 1 }, { a: 1, b: 2 }, false)).toBe(false);
    expect(jsonValuesEqual({ a: 1, b: null }, { a: "1" }, false)).toBe(true);
  });

  it("finds a field by its exact key first, then by a dotted path through objects only", () => {
    expect(fieldValue({ "a.b": 1, a: { b: 2 } }, "a.b")).toBe(1);
    expect(fieldValue({ a: { b: 2 } }, "a.b")).toBe(2);
    expect(fieldValue({ a: "text" }, "a.length")).toBeUndefined();
    expect(fieldValue({ a: {} }, "a.toString")).toBeUndefined();
    expect(fieldValue(["x"], "0")).toBeUndefined();
    expect(fieldValue("abc", "length")).toBeUndefined();
  });
});

describe("json_match scoring", () => {
  it("uses per_field by default and refuses unknown modes and empty fields, saying why", () => {
    expect(parseMetricOptions("json_match", {})).toEqual({ mode: "per_field", caseSensitive: false });
    expect(parseMetricOptions("json_match", { mode: "all_fields" })).toMatchObject({ mode: "all_fields" });
    expect(parseMetricOptions("json_match", { mode: "per_field" })).toMatchObject({ mode: "per_field" });
    expect(() => parseMetricOptions("json_match", { fields: [] })).toThrow("fields: name at least one field");
    expect(() => parseMetricOptions("json_match", { fields: [""] })).toThrow("fields.0: must not be empty");
  });

  it("refuses options.fields when the expected answer is not an object", async () => {
    await expect(scoreWith(jsonMatch, "[1]", "[1]", { fields: ["a"] })).rejects.toThrow(
      "options.fields needs the expected answer to be a JSON object",
    );
  });

  it("looks for an object in the output when the expected answer is one", async () => {
    const result = await scoreWith(jsonMatch, 'Ranks [1, 2], answer {"a": 1}', '{"a": 1}');
    expect(result).toEqual({ score: 1, details: { a: 1 } });
  });

  it("explains a whole-value mismatch and every mismatched field", async () => {
    expect(await scoreWith(jsonMatch, "[2, 1]", "[1, 2]")).toEqual({
      score: 0,
      reason: "expected [1,2], got [2,1]",
    });
    const result = await scoreWith(jsonMatch, '{"a": 2, "b": "x", "c": 3}', '{"a": 1, "b": "y", "c": 3}');
    expect(result.reason).toBe(
      '1/3 fields match; mismatched: a (expected 1, got 2); b (expected "y", got "x")',
    );
  });

  it("shortens a reason longer than 500 characters to 500", async () => {
    // Every field mismatches: "0/10 fields match; mismatched: " (31 characters), then per field
    // "<name> (expected 1, got 2)" (name + 20), joined by "; " (9 × 2): 249 + the names' lengths.
    const reasonFor = async (nameLengths: number[]) => {
      const names = nameLengths.map((length, i) => `${i}`.padStart(length, "f"));
      const want = Object.fromEntries(names.map((name) => [name, 1]));
      const got = Object.fromEntries(names.map((name) => [name, 2]));
      return (await scoreWith(jsonMatch, JSON.stringify(got), JSON.stringify(want))).reason ?? "";
    };
    const exactly500 = await reasonFor([26, ...Array(9).fill(25)]);
    expect(exactly500).toHaveLength(500);
    expect(exactly500.endsWith("(expected 1, got 2)")).toBe(true);
    const longer = await reasonFor(Array(10).fill(26)); // 509 characters
    expect(longer).toHaveLength(500);
    const untruncated = `0/10 fields match; mismatched: ${Array.from(
      { length: 10 },
      (_, i) => `${`${i}`.padStart(26, "f")} (expected 1, got 2)`,
    ).join("; ")}`;
    expect(untruncated).toHaveLength(509);
    expect(longer).toBe(`${untruncated.slice(0, 499)}…`);
  });
});
