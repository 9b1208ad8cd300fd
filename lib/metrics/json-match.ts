// json_match: compares the JSON in the output with the expected JSON, field by field.
import { z } from "zod";
import { extractJson, isPlainObject } from "@/lib/core/json-text";
import { preview } from "./text";
import type { MetricDefinition } from "./types";

export const jsonMatchOptions = z.strictObject({
  /** Fields to compare (dotted paths reach into nested objects). Default: every key of the expected object. */
  fields: z.array(z.string().min(1, "must not be empty")).min(1, "name at least one field").optional(),
  /** per_field: the fraction of fields that match; all_fields: 1 only if every field matches. */
  mode: z.enum(["per_field", "all_fields"]).default("per_field"),
  /** Compare string values with letter case. */
  caseSensitive: z.boolean().default(false),
});

export type JsonMatchOptions = z.output<typeof jsonMatchOptions>;

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && NUMERIC.test(value.trim())) return Number(value.trim());
  return undefined;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Equality after normalization: null and missing are equal; a number equals a number or numeric
 * string of the same value ("12.50" = 12.5); strings are trimmed (and case-folded unless
 * caseSensitive); arrays compare in order; objects compare key by key with the same rules.
 */
export function jsonValuesEqual(expected: unknown, actual: unknown, caseSensitive: boolean): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (typeof expected === "number" || typeof actual === "number") {
    const a = asNumber(expected);
    const b = asNumber(actual);
    return a !== undefined && b !== undefined && sameNumber(a, b);
  }
  if (typeof expected === "string" && typeof actual === "string") {
    const a = expected.normalize("NFC").trim();
    const b = actual.normalize("NFC").trim();
    return caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual) || expected.length !== actual.length) return false;
    return expected.every((item, i) => jsonValuesEqual(item, actual[i], caseSensitive));
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].every((key) => jsonValuesEqual(expected[key], actual[key], caseSensitive));
  }
  return expected === actual;
}

/** The value at `field`: an own key of that exact name first, else a dotted path. */
export function fieldValue(value: unknown, field: string): unknown {
  if (!isPlainObject(value)) return undefined;
  if (Object.hasOwn(value, field)) return value[field];
  let current: unknown = value;
  for (const part of field.split(".")) {
    if (!isPlainObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

export const jsonMatch: MetricDefinition<JsonMatchOptions> = {
  name: "json_match",
  description:
    "Parses the output as JSON (a ```json fence or prose around one JSON value is tolerated) and " +
    "compares it with the expected JSON: per_field scores the fraction of matching fields (default: all " +
    "keys of the expected object), all_fields 1 only if all match. Numbers match numeric strings, " +
    "strings are trimmed and case-insensitive by default, null equals missing. Unparseable output scores 0.",
  options: jsonMatchOptions,
  usesLlm: false,
  async score({ output, expected }, options) {
    let want: unknown;
    try {
      want = JSON.parse(expected);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`the expected answer is not valid JSON: ${message}`);
    }
    const objectExpected = isPlainObject(want);
    if (options.fields && !objectExpected) {
      throw new Error("options.fields needs the expected answer to be a JSON object");
    }
    const parsed = extractJson(output, { objectOnly: objectExpected });
    if (!parsed.ok) return { score: 0, reason: `output is not parseable JSON: ${parsed.error}` };
    const got = parsed.value;

    const fields = [...new Set(options.fields ?? (objectExpected ? Object.keys(want as object) : []))];
    if (fields.length === 0) {
      // Not an object, or an empty one: compare the whole values.
      if (jsonValuesEqual(want, got, options.caseSensitive)) return { score: 1 };
      return { score: 0, reason: `expected ${preview(want)}, got ${preview(got)}` };
    }

    const details: Record<string, number> = {};
    const mismatches: string[] = [];
    for (const field of fields) {
      const expectedValue = fieldValue(want, field);
      const actualValue = fieldValue(got, field);
      const equal = jsonValuesEqual(expectedValue, actualValue, options.caseSensitive);
      details[field] = equal ? 1 : 0;
      if (!equal)
        mismatches.push(`${field} (expected ${preview(expectedValue, 40)}, got ${preview(actualValue, 40)})`);
    }
    const matched = fields.length - mismatches.length;
    const score = options.mode === "all_fields" ? (mismatches.length === 0 ? 1 : 0) : matched / fields.length;
    if (mismatches.length === 0) return { score, details };
    const reason = `${matched}/${fields.length} fields match; mismatched: ${mismatches.join("; ")}`;
    return { score, reason: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason, details };
  },
};
