import { describe, expect, it } from "vitest";
import { demosText, diffPromptContent, numberedDiff, paramsText, sideBySideRows } from "./prompt-diff";
import type { FewShotDemo } from "./types";

describe("numberedDiff", () => {
  it("numbers lines on both sides and marks additions and removals", () => {
    expect(numberedDiff("a\nb\nc", "a\nB\nc\nd")).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "removed", text: "b", oldLine: 2, newLine: null },
      { kind: "added", text: "B", oldLine: null, newLine: 2 },
      { kind: "same", text: "c", oldLine: 3, newLine: 3 },
      { kind: "added", text: "d", oldLine: null, newLine: 4 },
    ]);
  });

  it("numbers lines removed from the middle, the common start and end kept", () => {
    expect(numberedDiff("a\nb\nc\nd", "a\nd")).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "removed", text: "b", oldLine: 2, newLine: null },
      { kind: "removed", text: "c", oldLine: 3, newLine: null },
      { kind: "same", text: "d", oldLine: 4, newLine: 2 },
    ]);
  });

  it("treats an empty text as no lines", () => {
    expect(numberedDiff("", "x")).toEqual([{ kind: "added", text: "x", oldLine: null, newLine: 1 }]);
    expect(numberedDiff("", "")).toEqual([]);
  });

  it("stays cheap on long texts with a small change (common start and end trimmed)", () => {
    const long = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    const changed = [...long];
    changed[10_000] = "changed";
    const started = Date.now();
    const lines = numberedDiff(long.join("\n"), changed.join("\n"));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(lines.filter((l) => l.kind !== "same").map((l) => [l.kind, l.text])).toEqual([
      ["removed", "line 10000"],
      ["added", "changed"],
    ]);
  });

  it("shows a huge rewrite as removed then added instead of running out of memory", () => {
    const a = Array.from({ length: 3_000 }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: 3_000 }, (_, i) => `b${i}`).join("\n");
    const lines = numberedDiff(a, b);
    expect(lines).toHaveLength(6_000);
    expect(lines[0]?.kind).toBe("removed");
    expect(lines[5_999]?.kind).toBe("added");
  });
});

describe("sideBySideRows", () => {
  it("pairs a removed block with the added block after it", () => {
    const rows = sideBySideRows(numberedDiff("a\nb\nc\nz", "a\nB\nz"));
    expect(rows).toEqual([
      { kind: "same", left: { line: 1, text: "a" }, right: { line: 1, text: "a" } },
      { kind: "changed", left: { line: 2, text: "b" }, right: { line: 2, text: "B" } },
      { kind: "removed", left: { line: 3, text: "c" }, right: null },
      { kind: "same", left: { line: 4, text: "z" }, right: { line: 3, text: "z" } },
    ]);
  });
});

describe("diffPromptContent", () => {
  it("diffs the prompts, demos and parameters and counts the changes", () => {
    const before = { systemPrompt: "Be brief.", outputPrompt: "Q: {{q}}", demos: [], params: {} };
    const after = {
      systemPrompt: "Be brief.\nAnswer in English.",
      outputPrompt: "Q: {{q}}",
      demos: [{ input: { q: "2+2" }, output: "4" }],
      params: { temperature: 0 },
    };
    const diff = diffPromptContent(before, after);
    expect(diff.map((f) => [f.field, f.added, f.removed])).toEqual([
      ["systemPrompt", 1, 0],
      ["outputPrompt", 0, 0],
      ["demos", 3, 0],
      ["params", 1, 0],
    ]);
    expect(diff[2]?.lines.map((l) => l.text)).toEqual(["Demo 1", "  q: 2+2", "  → 4"]);
  });

  it("renders parameters sorted by name, leaving out the unset ones", () => {
    expect(paramsText({ topP: 0.9, temperature: 0.2 })).toBe("temperature: 0.2\ntopP: 0.9");
    expect(paramsText({ topP: undefined, maxOutputTokens: 5 })).toBe("maxOutputTokens: 5");
  });

  it("labels each field and writes every demo as its own block", () => {
    const none = { systemPrompt: "", outputPrompt: "", demos: [], params: {} };
    const demos: FewShotDemo[] = [
      { input: { q: "1+1" }, output: "2" },
      { input: { q: "2+2", unit: "none" }, output: "4" },
    ];
    const diff = diffPromptContent(none, { ...none, demos });
    expect(diff.map((f) => f.label)).toEqual(["System prompt", "Output prompt", "Demos", "Model parameters"]);
    expect(demosText(demos)).toBe("Demo 1\n  q: 1+1\n  → 2\nDemo 2\n  q: 2+2\n  unit: none\n  → 4");
  });
});
