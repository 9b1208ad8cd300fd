import { describe, expect, it } from "vitest";
import type { Progress } from "@/lib/core/ports";
import { progressLines } from "./report";

const snapshot = (step: string, done: number, total: number, iteration = 0): Progress => ({
  step,
  iteration,
  done,
  total,
  calls: 0,
  failedCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  elapsedMs: 0,
  etaMs: null,
});

describe("progressLines", () => {
  it("says which chunk of the held-out test a count is and how many test examples are scored so far", () => {
    const line = progressLines();
    // 84 test examples in chunks of 50 and 34, both prompts per chunk (lib/core/final-test.ts).
    const shown = [
      snapshot("final test: baseline", 0, 50),
      snapshot("final test: baseline", 50, 50),
      snapshot("final test: best", 0, 50),
      snapshot("final test: best", 50, 50),
      snapshot("final test: baseline", 0, 34),
      snapshot("final test: baseline", 34, 34),
      snapshot("final test: best", 34, 34),
    ].map(line);
    expect(shown[1]).toMatch(/^final test: baseline chunk 1: 50\/50 examples \(50 test examples so far\) · /);
    expect(shown[5]).toMatch(/^final test: baseline chunk 2: 34\/34 examples \(84 test examples so far\) · /);
    expect(shown[6]).toMatch(/^final test: best chunk 2: 34\/34 examples \(84 test examples so far\) · /);
    expect(shown.join("\n")).not.toMatch(/baseline 34\/34/);
  });

  it("keeps the plain done/total of the loop's steps", () => {
    expect(progressLines()(snapshot("primary inference", 3, 20, 2))).toMatch(
      /^iter 2 · primary inference 3\/20 · /,
    );
  });
});

describe("optimizationSummary", () => {
  it("shows one interval and no gain when the baseline was never beaten", async () => {
    const { optimizationSummary } = await import("./report");
    const { optimizationReport } = await import("@/lib/validation/testing/stored-fixtures");
    const interval = (mean: number) => ({ mean, low: mean - 0.1, high: mean + 0.1, n: 40 });
    const test = { baseline: interval(0.4), best: interval(0.45), gain: interval(0.05), complete: true };
    const text = optimizationSummary(optimizationReport({ test }), "run-1", null);
    const final = /final\s+(.*)/.exec(text)?.[1] ?? "";
    const baseline = /baseline\s+(\d.*)/.exec(text)?.[1] ?? "";
    expect(final.length).toBeGreaterThan(0);
    expect(final).toBe(baseline);
    expect(text).toContain("no change: the baseline was not beaten");
  });
});
