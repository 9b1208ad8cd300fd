// The run page's quality-vs-cost table (acceptance objectives) as the server renders it: the Pareto set
// with readable labels, nothing for a run without objectives or an evaluation, nothing when too long.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { QualityCostPareto } from "@/components/runs/quality-cost-pareto";
import type { RunReport } from "@/lib/validation/run-state";

const interval = { mean: 0.5, low: 0.4, high: 0.6, n: 10 };
const usage = { calls: 0, cachedCalls: 0, failedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
const prompt = { systemPrompt: "s", outputPrompt: "{{x}}", demos: [], params: {} };
const measures = (costPerCall: number, promptChars: number) => ({
  costPerCall,
  tokensPerCall: 100,
  latencyMs: 12,
  promptChars,
});

function report(candidates: number, withMeasures = true): RunReport {
  return {
    kind: "optimize",
    stopReason: "patience",
    iterations: [
      {
        index: 1,
        incumbentTrain: interval,
        trainExamples: 10,
        validationExamples: 10,
        rejectedProposals: [],
        usage,
        incumbentValidation: 0.5,
        accepted: 0,
        ...(withMeasures ? { incumbentMeasures: measures(0.001, 100) } : {}),
        candidates: Array.from({ length: candidates }, (_, i) => ({
          index: i,
          prompt,
          rationale: "",
          status: "evaluated" as const,
          trainScore: 0.6,
          validationScore: 0.6 + i * 0.01,
          gain: interval,
          accepted: i === 0,
          ...(withMeasures ? { measures: measures(0.002 + i * 0.001, 200 + i), violates: [] } : {}),
        })),
      },
    ],
    baseline: prompt,
    best: prompt,
    bestOrigin: { iteration: 1, candidate: 0 },
    splits: { train: 10, validation: 10, test: 10, folds: null },
    validation: { baseline: 0.5, best: 0.6 },
    test: { baseline: interval, best: interval, gain: interval, complete: true },
    usage,
    elapsedMs: 0,
  };
}

const render = (r: RunReport | null) => renderToString(createElement(QualityCostPareto, { report: r }));

describe("quality against cost on the run page", () => {
  it("lists the baseline and the candidates no other beats on both, with column headers", () => {
    const html = render(report(2));
    expect(html).toContain("Quality against cost");
    expect(html).toContain('<th scope="col"');
    expect(html).toContain("Baseline");
    expect(html).toContain("Iteration 1, candidate 0<!-- --> (accepted)");
    expect(html).toContain("Iteration 1, candidate 1");
    expect(html).toContain("$0.00100");
    expect(html).toContain("200<!-- --> characters");
  });

  it("shows nothing without objectives, for an evaluation, or when the set is too long to read", () => {
    expect(render(report(2, false))).toBe("");
    expect(render(null)).toBe("");
    expect(render(report(20))).toBe("");
  });
});

describe("picking a trade-off", () => {
  it("offers editors to save each candidate of the set as a version, never the baseline", async () => {
    const { QueryClient, QueryClientProvider } = await import("@tanstack/react-query");
    const withSave = renderToString(
      createElement(
        QueryClientProvider,
        { client: new QueryClient() },
        createElement(QualityCostPareto, {
          report: report(2),
          save: { project: "p", task: "t", runId: "r1" },
        }),
      ),
    );
    expect(withSave.match(/Save as a version/g)).toHaveLength(2);
    expect(render(report(2))).not.toContain("Save as a version");
  });
});
