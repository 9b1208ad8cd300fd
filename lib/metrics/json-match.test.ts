import { describe, expect, it } from "vitest";
import { jsonMatch, jsonValuesEqual } from "./json-match";
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
