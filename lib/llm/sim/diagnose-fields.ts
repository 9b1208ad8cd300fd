// The optimizer's critique of extraction failures: field by field, how the actual JSON differs from the
// expected JSON (dates not in ISO form, amounts with symbols, currency symbols instead of codes, ...).

import { findDates, isoDate, stripQuantity } from "./extract";
import { type FailureCase, type Finding, Findings, quote } from "./findings";
import { TITLES } from "./lexicon";
import { fieldKind } from "./prompt-reading";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON object in a reply: the whole reply, or the first {...} inside it. */
export function jsonInText(text: string): Json | null {
  const candidates = [text.trim(), /\{[\s\S]*\}/.exec(text)?.[0] ?? ""];
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as unknown;
      if (isObject(value)) return value;
    } catch {
      // Try the next reading.
    }
  }
  return null;
}

function numberIn(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return null;
  const m = /\d[\d,]*(?:\.\d+)?/.exec(value);
  return m ? Number(m[0].replace(/,/g, "")) : null;
}

const norm = (v: string) => v.trim().toLowerCase();

function equalish(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (typeof expected === "number") return numberIn(actual) === expected && /^[\d.\s]+$/.test(String(actual));
  if (typeof expected === "string" && typeof actual === "string") return norm(expected) === norm(actual);
  return JSON.stringify(expected) === JSON.stringify(actual);
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function swapMonthDay(iso: string): string {
  return `${iso.slice(0, 4)}-${iso.slice(8, 10)}-${iso.slice(5, 7)}`;
}

export function diagnoseFields(cases: FailureCase[]): Finding[] {
  const findings = new Findings();
  for (const c of cases) {
    let expected: unknown;
    try {
      expected = JSON.parse(c.expected);
    } catch {
      continue;
    }
    if (!isObject(expected) || c.actual === null) continue;
    const actual = jsonInText(c.actual);
    const keys = Object.keys(expected);
    if (!actual || !c.actual.trim().startsWith("{")) {
      findings.add("json-only", { kind: "json-only", example: quote(c.actual, 40) });
      if (!actual) continue;
    }
    const example = (field: string) => quote(`${field}: ${JSON.stringify(actual[field])}`, 50);
    for (const field of keys) {
      const want = expected[field];
      const got = actual[field];
      if (!(field in actual)) {
        findings.add("keys", { kind: "keys", keys, example: quote(`missing "${field}"`) });
        continue;
      }
      if (equalish(want, got)) continue;
      const kind = fieldKind(field, "");
      if (want === null) {
        findings.add("null", { kind: "null", field, example: example(field) });
      } else if (kind === "date" && typeof want === "string" && ISO.test(want)) {
        // Several dates in the text, and the expected one is not the first: the order date was wanted.
        const dates = [...findDates(c.text, false), ...findDates(c.text, true)];
        const first = dates.sort((a, b) => a.at - b.at)[0];
        const wantedAt = dates.find((d) => isoDate(d) === want)?.at;
        if (first && wantedAt !== undefined && wantedAt !== first.at)
          findings.add("order-date", { kind: "order-date", field, example: example(field) });
        if (typeof got === "string" && ISO.test(got) && swapMonthDay(got) === want && /\d\.\d/.test(c.text))
          findings.add("day-first", { kind: "day-first", field, example: example(field) });
        else if (typeof got !== "string" || !ISO.test(got))
          findings.add("iso-date", { kind: "iso-date", field, example: example(field) });
      } else if (kind === "amount" && typeof want === "number") {
        const n = numberIn(got);
        if (n === want)
          findings.add("numeric-amount", { kind: "numeric-amount", field, example: example(field) });
        else if (n !== null && c.text.includes(String(want).split(".")[0] as string)) {
          findings.add("total", { kind: "total", field, example: example(field) });
          if (typeof got === "string")
            findings.add("numeric-amount", { kind: "numeric-amount", field, example: example(field) });
        }
      } else if (kind === "currency" && typeof want === "string" && /^[A-Z]{3}$/.test(want)) {
        findings.add("currency-code", { kind: "currency-code", field, example: example(field) });
      } else if (typeof want === "string" && typeof got === "string") {
        if (TITLES.test(got) && norm(got.replace(TITLES, "")) === norm(want))
          findings.add("titles", { kind: "titles", field, example: example(field) });
        else if (norm(stripQuantity(got)) === norm(want))
          findings.add("quantity", { kind: "quantity", field, example: example(field) });
      }
    }
  }
  return findings.list();
}
