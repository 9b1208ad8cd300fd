// Test support: complete, valid stored state (what lib/db writes and reads back) with the parts a test
// cares about overridden — a run's config, progress, iteration summary and reports. Tests that store a
// run by hand use these, so what they store is what a real run stores.
import type { Interval } from "@/lib/core/types";
import type { EvaluationRunReport, IterationSummary, OptimizationRunReport, RunProgress } from "../run-state";
import { type StoredRunConfig, storedRunConfigSchema } from "../runs";

export const interval = (mean: number, n = 10, spread = 0): Interval => ({
  mean,
  low: mean - spread,
  high: mean + spread,
  n,
});

const usage = () => ({
  calls: 0,
  cachedCalls: 0,
  failedCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
});

/** A complete stored run config (every default applied): sim models, exact match, origin "api". */
export function storedRunConfig(overrides: Partial<StoredRunConfig> = {}): StoredRunConfig {
  return storedRunConfigSchema.parse({
    name: "task",
    prompt: { output: "{{text}}" },
    dataset: { path: "dataset:data@v1", expected: "label" },
    models: { task: { id: "sim:default" }, optimizer: { id: "sim:default" } },
    metrics: [{ name: "exact_match" }],
    origin: "api",
    ...overrides,
  });
}

export function runProgress(overrides: Partial<RunProgress> = {}): RunProgress {
  return {
    step: "primary inference",
    iteration: 1,
    done: 0,
    total: 10,
    calls: 0,
    failedCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    elapsedMs: 0,
    etaMs: null,
    ...overrides,
  };
}

export function iterationSummary(overrides: Partial<IterationSummary> = {}): IterationSummary {
  return {
    incumbentTrain: interval(0.5),
    trainExamples: 10,
    validationExamples: 5,
    rejectedProposals: [],
    usage: usage(),
    ...overrides,
  };
}

const prompt = { systemPrompt: "", outputPrompt: "{{text}}", demos: [], params: {} };

/** An optimization report (kind "optimize") whose held-out test is `test`; the baseline stays best. */
export function optimizationReport(
  overrides: Partial<Omit<OptimizationRunReport, "kind" | "test">> & {
    test?: Partial<OptimizationRunReport["test"]>;
  } = {},
): OptimizationRunReport {
  const { test, ...rest } = overrides;
  return {
    kind: "optimize",
    stopReason: "max_iterations",
    iterations: [],
    baseline: prompt,
    best: prompt,
    bestOrigin: null,
    splits: { train: 10, validation: 5, test: 5, folds: null },
    validation: { baseline: 0.5, best: 0.5 },
    usage: usage(),
    elapsedMs: 1000,
    ...rest,
    test: {
      baseline: interval(0.5),
      best: interval(0.5),
      gain: interval(0),
      complete: true,
      ...test,
    },
  };
}

/** An evaluation report (kind "eval") with this score. */
export function evaluationReport(
  overrides: Partial<Omit<EvaluationRunReport, "kind">> = {},
): EvaluationRunReport {
  return {
    kind: "eval",
    score: interval(0.5),
    metrics: {},
    failed: 0,
    usage: usage(),
    elapsedMs: 1000,
    ...overrides,
  };
}
