import { describe, expect, it } from "vitest";
import { extractJson } from "./json-text";

describe("extractJson", () => {
  it("parses plain JSON", () => {
    expect(extractJson(' {"a": 1} ')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson("[1,2]")).toEqual({ ok: true, value: [1, 2] });
  });

  it("parses a fenced block, with or without a language tag", () => {
    expect(extractJson('```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('Result:\n```\n{"a": 2}\n```')).toEqual({ ok: true, value: { a: 2 } });
  });

  it("finds an object inside prose, respecting braces inside strings", () => {
    expect(extractJson('I think {"text": "a } b", "n": {"m": 1}} is it.')).toEqual({
      ok: true,
      value: { text: "a } b", n: { m: 1 } },
    });
    // A brace in the prose before the object is skipped.
    expect(extractJson('Use {curly} braces: {"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("with objectOnly, skips arrays and scalars", () => {
    expect(extractJson('see [1] and {"a": 1}', { objectOnly: true })).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson("42", { objectOnly: true })).toEqual({
      ok: false,
      error: "the JSON found is not an object",
    });
  });

  it("reports what went wrong", () => {
    expect(extractJson("")).toEqual({ ok: false, error: "the text is empty" });
    const result = extractJson("no json here");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^no JSON found/);
  });

  it("prefers a fenced block to JSON earlier in the prose, and reads what only a fence holds", () => {
    expect(extractJson('Example: {"a": 0}\n```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    // Scalars have no braces for the prose scan to find: only the fence yields them.
    expect(extractJson('The answer:\n```json-ld  \n"yes"\n```')).toEqual({ ok: true, value: "yes" });
    expect(extractJson('inline ```"on one line"``` too')).toEqual({ ok: true, value: "on one line" });
    expect(extractJson("so: ```\n[1,\n 2]\n``` ok")).toEqual({ ok: true, value: [1, 2] });
  });

  it("finds an array in prose, and skips escaped quotes inside strings", () => {
    expect(extractJson("The list: [1, 2] is it")).toEqual({ ok: true, value: [1, 2] });
    expect(extractJson('Reply {"q": "say \\"}\\" now", "n": 1} done')).toEqual({
      ok: true,
      value: { q: 'say "}" now', n: 1 },
    });
    // A bracket closed by the other kind is not a value; the next start is.
    expect(extractJson('bad {] then {"ok": true}')).toEqual({ ok: true, value: { ok: true } });
  });

  it("tries at most 200 places in the prose where a value could start", () => {
    const junk = (n: number) => Array.from({ length: n }, () => "[x] and").join(" ");
    expect(extractJson(`${junk(199)} {"a": 1}`)).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson(`${junk(200)} {"a": 1}`).ok).toBe(false);
  });

  it("with objectOnly, a JSON string or null is not an object either", () => {
    for (const text of ['"text"', "null", "[1]"])
      expect(extractJson(text, { objectOnly: true })).toEqual({
        ok: false,
        error: "the JSON found is not an object",
      });
  });

  it("says the text is empty when it is only whitespace, and why the whole text is not JSON", () => {
    expect(extractJson("  \n\t ")).toEqual({ ok: false, error: "the text is empty" });
    let parseError = "";
    try {
      JSON.parse("no json here");
    } catch (error) {
      parseError = (error as Error).message;
    }
    expect(extractJson("no json here")).toEqual({ ok: false, error: `no JSON found (${parseError})` });
  });
});
