import { describe, expect, it } from "vitest";
import { type DiffLine, diffLines } from "./diff";
import { createRandom } from "./random";

const side = (diff: DiffLine[], kind: "removed" | "added") =>
  diff
    .filter((d) => d.kind === "same" || d.kind === kind)
    .map((d) => d.text)
    .join("\n");

/** The longest common subsequence's length, by brute force over the subsets of `a` (small inputs). */
function lcsLength(a: string[], b: string[]): number {
  let best = 0;
  for (let mask = 0; mask < 1 << a.length; mask++) {
    const picked = a.filter((_, i) => mask & (1 << i));
    let j = 0;
    for (const line of b) if (j < picked.length && line === picked[j]) j++;
    if (j === picked.length) best = Math.max(best, picked.length);
  }
  return best;
}

describe("diffLines", () => {
  it("marks added and removed lines", () => {
    expect(diffLines("a\nb\nc", "a\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
  });

  it("puts the removed line before the added one where a line is replaced", () => {
    expect(diffLines("a\nb\nc", "a\nx\nc")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "x" },
      { kind: "same", text: "c" },
    ]);
  });

  it("handles a side with lines left over at either end, and equal texts", () => {
    expect(diffLines("a\nb\nc", "a")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "removed", text: "c" },
    ]);
    expect(diffLines("c", "a\nb\nc")).toEqual([
      { kind: "added", text: "a" },
      { kind: "added", text: "b" },
      { kind: "same", text: "c" },
    ]);
    expect(diffLines("x\ny", "x\ny")).toEqual([
      { kind: "same", text: "x" },
      { kind: "same", text: "y" },
    ]);
  });

  it("rebuilds both texts and keeps as many lines as can be kept (random texts, brute-force check)", () => {
    const rng = createRandom(11);
    for (let round = 0; round < 300; round++) {
      const lines = (n: number) => Array.from({ length: n }, () => "abc"[Math.floor(rng() * 3)] as string);
      const a = lines(Math.floor(rng() * 8));
      const b = lines(Math.floor(rng() * 8));
      const diff = diffLines(a.join("\n"), b.join("\n"));
      expect(side(diff, "removed")).toBe(a.join("\n"));
      expect(side(diff, "added")).toBe(b.join("\n"));
      // "".split("\n") is one empty line, on both sides alike.
      const kept = diff.filter((d) => d.kind === "same").length;
      expect(kept).toBe(lcsLength(a.length ? a : [""], b.length ? b : [""]));
    }
  });
});
