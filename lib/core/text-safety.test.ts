import { describe, expect, it } from "vitest";
import { InputError } from "./errors";
import { findUnsafeText, refuseUnsafeText, unsafeTextReason } from "./text-safety";

describe("text that cannot be stored", () => {
  it("NUL and lone surrogates are unsafe; pairs, emoji and other control characters are fine", () => {
    expect(unsafeTextReason("a\u0000b")).toMatch(/NUL/);
    expect(unsafeTextReason("\uD800")).toMatch(/lone surrogate/);
    expect(unsafeTextReason("x\uDC00")).toMatch(/lone surrogate/);
    expect(unsafeTextReason("\uDC00\uD800")).toMatch(/lone surrogate/);
    for (const fine of ["", "plain", "😀", "\uD83D\uDE00", "tab\tnew\nline", "\u0001\u007f", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"])
      expect(unsafeTextReason(fine)).toBeNull();
  });

  it("finds every unsafe string and key with its path, in document order", () => {
    const value = {
      name: "ok",
      models: [{ id: "x\u0000" }, { id: "fine" }, { id: "\uD800" }],
      "bad\u0000key": "value",
      nested: { deep: [[["\u0000"]]] },
    };
    expect(findUnsafeText(value)).toEqual([
      { path: ["models", 0, "id"], reason: expect.stringMatching(/NUL/) },
      { path: ["models", 2, "id"], reason: expect.stringMatching(/surrogate/) },
      { path: ["bad\u0000key"], reason: expect.stringMatching(/^its name contains a NUL/) },
      { path: ["nested", "deep", 0, 0, 0], reason: expect.stringMatching(/NUL/) },
    ]);
    expect(findUnsafeText(["\u0000", "\u0000", "\u0000"], 2)).toHaveLength(2);
  });

  it("walks a deeply nested value without overflowing the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnsafeText(deep)[0]?.path).toHaveLength(200_000);
  });

  it("refuses as a 400 naming the field like a validation error, with every issue", () => {
    expect(() => refuseUnsafeText("body", { name: "ok" })).not.toThrow();
    let error: unknown;
    try {
      refuseUnsafeText("body", { name: "a\u0000", "k\u0000": 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).status).toBe(400);
    expect((error as InputError).message).toBe(
      "Invalid body.name: contains a NUL character (\\u0000), which cannot be stored (and 1 more)",
    );
    expect((error as InputError).details).toEqual({
      issues: [
        { in: "body", path: "name", message: expect.stringMatching(/NUL/) },
        { in: "body", path: "k\\u0000", message: expect.stringMatching(/^its name/) },
      ],
    });
  });
});
