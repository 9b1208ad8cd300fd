// The estimate against the calls real runs of the loop make: the workflow on the rule world (a fake LLM
// that counts calls) under several settings and strategies' worlds; the upper bound is never passed and
// the expected count is within a factor of two of what runs make.
import { describe, expect, it } from "vitest";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { estimateEvaluation, estimateOptimizationRun, type RunEstimateInput } from "./estimate";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import { exactScorer } from "./testing/evaluation-context";
import { type RuleWorldOptions, ruleExamples, ruleWorld, ruleWorldSettings } from "./testing/rule-world";
import { type OptimizationSettings, runOptimization } from "./workflow";

const base: OptimizationSettings = ruleWorldSettings({
  acceptance: { confidence: 0.95, minGain: 0, bootstrapSamples: 300, validateTop: 2 },
});

const neverBetter: RuleWorldOptions = {
  optimizerReply: (_brief, call) =>
    JSON.stringify({
      candidates: [
        { systemPrompt: `Answer, try ${call}.`, outputPrompt: "Item: {{item}}", rationale: "same" },
        { systemPrompt: `Answer, attempt ${call}.`, outputPrompt: "Item: {{item}}", rationale: "same" },
      ],
    }),
};

async function actualCalls(settings: OptimizationSettings, examples: number, world: RuleWorldOptions = {}) {
  const fake = ruleWorld(world);
  await runOptimization(settings, ruleExamples(examples), {
    llm: fake.llm,
    steps: createMemoryStepRunner(),
    recorder: createMemoryRecorder(),
    clock: { now: () => 0 },
    scorer: exactScorer,
    optimizer: critiqueRewrite,
  });
  return fake.calls;
}

function estimateFor(settings: OptimizationSettings, examples: number, prices?: RunEstimateInput["prices"]) {
  return estimateOptimizationRun({
    settings: {
      candidates: settings.candidates,
      failures: settings.failures,
      splits: settings.splits,
      acceptance: settings.acceptance,
      stop: settings.stop,
      budget: settings.budget,
      scoringCallsPerExample: 0,
      proposalAttempts: 3,
    },
    examples,
    text: { promptChars: 22, inputChars: 12, expectedChars: 12 },
    prices: prices ?? { task: { input: 0, output: 0 }, optimizer: { input: 0, output: 0 } },
  });
}

describe("estimateOptimizationRun against runs of the loop", () => {
  it.each([
    ["rules found one after another", base, 120, {}],
    ["no candidate ever better (patience stops it)", base, 120, neverBetter],
    ["a minibatch drawn per iteration", { ...base, splits: { ...base.splits, minibatch: 20 } }, 200, {}],
    [
      "three candidates, validate the top one",
      { ...base, candidates: 3, acceptance: { ...base.acceptance, validateTop: 1 } },
      80,
      {},
    ],
    ["cross-validation in 3 folds", { ...base, splits: { ...base.splits, folds: 3 } }, 90, neverBetter],
  ] as const)(
    "%s: the upper bound holds, the expectation is near",
    async (_name, settings, examples, world) => {
      const actual = await actualCalls(settings as OptimizationSettings, examples, world);
      const estimate = estimateFor(settings as OptimizationSettings, examples);
      expect(estimate.upper.calls).toBeGreaterThanOrEqual(actual);
      expect(estimate.expected.calls).toBeLessThanOrEqual(estimate.upper.calls);
      // How many iterations accept a candidate is not knowable before: the expectation (one accepted,
      // then `patience` stale iterations) stays within a factor of two of these worlds' runs.
      expect(estimate.expected.calls / actual).toBeGreaterThan(0.5);
      expect(estimate.expected.calls / actual).toBeLessThan(2);
    },
  );
});

describe("estimateOptimizationRun", () => {
  const settings = { ...base, stop: { maxIterations: 3, patience: 1 } };

  it("prices tokens per model and knows a run on free models is not paid", () => {
    const free = estimateFor(settings, 100);
    expect(free.paid).toBe(false);
    expect(free.upper.costUsd).toBe(0);
    const paid = estimateFor(settings, 100, {
      task: { input: 1, output: 2 },
      optimizer: { input: 10, output: 30 },
    });
    expect(paid.paid).toBe(true);
    const { upper } = paid;
    expect(upper.inputTokens).toBeGreaterThan(0);
    expect(upper.costUsd).toBeGreaterThan(0);
    // Dearer optimizer: the cost is more than the task model's tokens alone at its price.
    expect(upper.costUsd as number).toBeGreaterThan((upper.inputTokens * 1 + upper.outputTokens * 2) / 1e6);
    expect(paid.expected.costUsd as number).toBeLessThanOrEqual(upper.costUsd as number);
  });

  it("cannot price a model with an unknown price, and counts it as paid", () => {
    const unknown = estimateFor(settings, 100, { task: undefined, optimizer: { input: 0, output: 0 } });
    expect(unknown.upper.costUsd).toBeNull();
    expect(unknown.paid).toBe(true);
  });

  it("counts the splits as the step plan does and the iterations the stop rules allow", () => {
    const estimate = estimateFor({ ...base, stop: { maxIterations: 5, patience: 1 } }, 100);
    expect(estimate.splits).toEqual({ train: 40, validation: 30, test: 30, minibatch: 40 });
    expect(estimate.iterations).toEqual({ upper: 5, expected: 2 });
  });

  it("caps the upper bound by the call budget and says so", () => {
    const capped = estimateFor({ ...settings, budget: { calls: 50 } }, 100);
    expect(capped.upper.calls).toBe(50);
    expect(capped.cappedBy).toEqual(["calls"]);
    expect(capped.expected.calls).toBeLessThanOrEqual(50);
  });

  it("uses one token per 4 characters of prompt, input and expected output", () => {
    const estimate = estimateEvaluation({
      kind: "eval",
      examples: 10,
      text: { promptChars: 400, inputChars: 200, expectedChars: 40 },
      scoringCallsPerExample: 0,
      prices: { task: { input: 1_000_000, output: 0 } },
    });
    // (400 + 200 + 40 characters of markup) / 4 = 160 tokens in, 10 out, per call.
    expect(estimate.upper).toEqual({ calls: 10, inputTokens: 1600, outputTokens: 100, costUsd: 1600 });
  });
});
