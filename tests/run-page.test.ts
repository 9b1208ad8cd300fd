// The run page's parts as the server renders them (react-dom/server): the score chart (nice ticks, the
// x axis to the iterations that ran, <title>s that survive server rendering so the page hydrates), the
// steps of a cancelled run, and its report and summary texts.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { iterationAxis, scoreScale } from "@/components/runs/chart-scale";
import { endedEarlyText, type LiveIteration } from "@/components/runs/live-state";
import { RunReport } from "@/components/runs/run-report";
import { RunSteps, stepStates } from "@/components/runs/run-steps";
import { ScoreChart } from "@/components/runs/score-chart";
import { runScore } from "@/lib/services/runs/reads";
import type { RunReport as RunReportRecord } from "@/lib/validation/run-state";

const interval = (mean: number) => ({ mean, low: mean - 0.05, high: mean + 0.05, n: 40 });

function iteration(index: number, incumbentScore: number): LiveIteration {
  return {
    index,
    incumbentScore,
    accepted: index === 1,
    acceptedCandidate: index === 1 ? 1 : null,
    summary: { incumbentTrain: interval(incumbentScore), failures: 3, metrics: {} },
    candidates: [
      {
        index: 1,
        status: "evaluated",
        trainScore: incumbentScore + 0.05,
        validationScore: incumbentScore + 0.04,
        gainLow: -0.01,
        gainHigh: 0.09,
        accepted: index === 1,
      },
    ],
  } as unknown as LiveIteration;
}

describe("score chart", () => {
  it("ticks at whole steps of 1, 2, 5, 10, 20, 25 or 50 points", () => {
    expect(scoreScale([0.25, 0.45]).ticks).toEqual([0.2, 0.3, 0.4, 0.5]);
    expect(scoreScale([0.3, 0.4]).ticks).toEqual([0.25, 0.3, 0.35, 0.4, 0.45]);
    expect(scoreScale([0, 1]).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(scoreScale([0.97, 0.99]).ticks).toEqual([0.8, 0.85, 0.9, 0.95, 1]);
    for (const values of [[0.31, 0.36], [0.02, 0.5], [0.5], [0.123, 0.877]]) {
      const { lo, hi, ticks } = scoreScale(values);
      expect(lo).toBeLessThanOrEqual(Math.min(...values));
      expect(hi).toBeGreaterThanOrEqual(Math.max(...values));
      expect(ticks.length).toBeLessThanOrEqual(6);
      for (const t of ticks) expect(Math.round(t * 100)).toBeCloseTo(t * 100, 9);
    }
  });

  it("runs the x axis to the iterations that ran, not the maximum", () => {
    expect(iterationAxis([{ index: 1 }, { index: 2 }])).toEqual([1, 2]);
    expect(iterationAxis([])).toEqual([1]);
    const html = renderToString(
      createElement(ScoreChart, { iterations: [iteration(1, 0.3), iteration(2, 0.34)] }),
    );
    const xLabels = [...html.matchAll(/<text[^>]*text-anchor="middle"[^>]*>(\d+)<\/text>/g)].map((m) => m[1]);
    expect(xLabels).toEqual(["1", "2"]);
    const yLabels = [...html.matchAll(/>(\d+)(?:<!-- -->)?%<\/text>/g)].map((m) => m[1]);
    expect(yLabels).toEqual(["20", "30", "40", "50"]);
  });

  it("renders every <title> with its text, so the page hydrates (React #418 otherwise)", () => {
    const html = renderToString(createElement(ScoreChart, { iterations: [iteration(1, 0.3)] }));
    const titles = [...html.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toHaveLength(3);
    for (const title of titles) expect(title).toMatch(/^Iteration 1/);
    expect(titles[1]).toBe("Iteration 1: incumbent 30.0% on validation (the baseline)");
  });
});

describe("a cancelled run's page", () => {
  it("shows the steps done, the step it stopped at and the ones not run", () => {
    expect(stepStates("refined inference", "cancelled")).toEqual({
      iteration: ["done", "done", "done", "stopped", "skipped"],
      final: "skipped",
    });
    expect(stepStates("refined inference", "running").iteration).toEqual([
      "done",
      "done",
      "done",
      "current",
      "upcoming",
    ]);
    expect(stepStates(undefined, "succeeded").final).toBe("done");
    const html = renderToString(createElement(RunSteps, { step: "refined inference", status: "cancelled" }));
    expect(html).toContain("Steps of the last iteration");
    expect(html).toContain("(stopped here)");
    expect(html).not.toContain("(next)");
  });

  it("says where it stopped and that there is no report", () => {
    expect(endedEarlyText("cancelled", { step: "refined inference", iteration: 2 }, 1)).toBe(
      "The run was cancelled during iteration 2, at step 4 (refined inference); 1 iteration finished. No held-out test result: the report needs a finished run.",
    );
    expect(endedEarlyText("failed", null, 0)).toMatch(/^The run failed before its first step; 0 iterations/);
    const report = renderToString(
      createElement(RunReport, {
        status: "cancelled",
        score: null,
        report: null,
        baselineVersion: 1,
        bestVersion: null,
      }),
    );
    expect(report).toContain("the run was cancelled before its held-out test");
    expect(report).not.toContain("No report yet");
  });
});

describe("a winner equal to the baseline", () => {
  // The final test scored the one prompt twice: two bootstrap draws, two intervals.
  const finalTest = {
    baseline: { mean: 0.5, low: 0.33, high: 0.67, n: 30 },
    best: { mean: 0.5, low: 0.32, high: 0.68, n: 30 },
    gain: { mean: 0, low: -0.01, high: 0.01, n: 30 },
    complete: true,
  };
  const report = {
    kind: "optimize",
    bestOrigin: null,
    stopReason: "patience",
    splits: { train: 40, validation: 30, test: 30, folds: null },
    validation: { baseline: 0.5, best: 0.5 },
    test: finalTest,
    elapsedMs: 1000,
  } as unknown as RunReportRecord;

  it("shows one interval for the one prompt, and no gain", () => {
    const score = runScore(report);
    expect(score).toMatchObject({
      kind: "optimize",
      best: finalTest.baseline,
      baseline: finalTest.baseline,
    });
    expect(score?.kind === "optimize" && score.gain).toEqual({ mean: 0, low: 0, high: 0, n: 30 });
    const html = renderToString(
      createElement(RunReport, { status: "succeeded", score, report, baselineVersion: 1, bestVersion: 1 }),
    );
    const intervals = [
      ...html.matchAll(/\[(?:<!-- -->)?([\d.]+%)(?:<!-- -->)?, (?:<!-- -->)?([\d.]+%)/g),
    ].map((m) => `${m[1]}–${m[2]}`);
    expect(new Set(intervals)).toEqual(new Set(["33.0%–67.0%"]));
    expect(html).toContain("the baseline, never beaten");
  });

  it("keeps the winner's own interval when a candidate won", () => {
    const won = { ...report, bestOrigin: { iteration: 1, candidate: 0 } } as RunReportRecord;
    expect(runScore(won)).toMatchObject({ best: finalTest.best, gain: finalTest.gain });
  });
});
