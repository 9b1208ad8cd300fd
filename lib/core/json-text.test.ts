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
});
