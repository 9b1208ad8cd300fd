// The error budget: failed provider calls fail their examples until too many of the run's calls have
// failed; then the step that crossed the line throws, and with it the run.
import { describe, expect, it } from "vitest";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import type { Scorer } from "./evaluate";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import { ErrorBudgetExceeded, emptyUsage, exceedsErrorBudget } from "./meter";
import { LlmError, type LlmPort } from "./ports";
import { ruleExamples, ruleWorld } from "./testing/rule-world";
import { type OptimizationSettings, runOptimization } from "./workflow";

const exact: Scorer = async ({ output, expected }) => {
  const score = output.trim() === expected ? 1 : 0;
  return { score, metrics: { exact_match: { score } } };
};

const settings: OptimizationSettings = {
  prompt: { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", demos: [], params: {} },
  taskModel: { id: "fake:task", concurrency: 4 },
  optimizerModel: { id: "fake:optimizer" },
  candidates: 2,
  failures: 8,
  splits: { validation: 0.3, test: 0.3 },
  acceptance: { confidence: 0.95, minGain: 0, bootstrapSamples: 1000, validateTop: 2 },
  stop: { maxIterations: 3, patience: 2 },
  budget: {},
  errorBudget: { maxFailedFraction: 0.2, minCalls: 20 },
  seed: 7,
  batchSize: 10,
  // Two batch steps in flight, so that which steps ran before the budget tripped is stated below.
  pipelineWindow: 2,
};

/** The rule world's task model, failing the calls `fails` picks (by a counter of task calls). */
function failing(fails: (n: number) => boolean): LlmPort {
  const world = ruleWorld();
  let n = 0;
  return {
    generate: async (request) => {
      if (request.model === "fake:task" && fails(n++)) throw new LlmError("provider unavailable", true, 503);
      return world.llm.generate(request);
    },
    embed: world.llm.embed,
  };
}

const run = (llm: LlmPort, steps = createMemoryStepRunner()) =>
  runOptimization(settings, ruleExamples(100), {
    llm,
    steps,
    recorder: createMemoryRecorder(),
    clock: { now: () => 0 },
    scorer: exact,
    optimizer: critiqueRewrite,
  });

describe("exceedsErrorBudget", () => {
  const usage = (calls: number, failedCalls: number) => ({ ...emptyUsage(), calls, failedCalls });
  it("never before minCalls, then when the failed share is above the limit", () => {
    const budget = { maxFailedFraction: 0.2, minCalls: 20 };
    expect(exceedsErrorBudget(budget, usage(19, 19))).toBe(false);
    expect(exceedsErrorBudget(budget, usage(20, 4))).toBe(false);
    expect(exceedsErrorBudget(budget, usage(20, 5))).toBe(true);
    expect(exceedsErrorBudget({ maxFailedFraction: 0, minCalls: 1 }, usage(0, 0))).toBe(false);
  });
});

describe("the error budget in the workflow", () => {
  it("a few failed calls fail their examples, counted, and the run goes on", async () => {
    const report = await run(failing((n) => n % 10 === 3));
    expect(report.usage.failedCalls).toBeGreaterThan(0);
    expect(report.usage.failedCalls / report.usage.calls).toBeLessThan(0.2);
    expect(report.test.complete).toBe(true);
  });

  it("a provider that keeps failing fails the step that spends the budget, which is never stored", async () => {
    const steps = createMemoryStepRunner();
    const error = await run(
      failing(() => true),
      steps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorBudgetExceeded);
    // Batches of 10, two in flight: each is judged on the run's totals when it started plus its own
    // calls, so the first two (10 failed of 10 each) stay under minCalls and the third crosses it.
    expect((error as ErrorBudgetExceeded).usage).toMatchObject({ calls: 20, failedCalls: 20 });
    expect((error as Error).message).toBe(
      "error budget exceeded: 20 of 20 provider calls failed (100% > 20% allowed); last error: provider unavailable",
    );
    expect(steps.executed).toEqual([
      "start",
      "iter-1/primary-inference/batch-0",
      "iter-1/primary-inference/batch-1",
    ]);
  });

  it("without a budget, failed calls never fail the run", async () => {
    const report = await runOptimization({ ...settings, errorBudget: undefined }, ruleExamples(100), {
      llm: failing(() => true),
      steps: createMemoryStepRunner(),
      recorder: createMemoryRecorder(),
      clock: { now: () => 0 },
      scorer: exact,
      optimizer: critiqueRewrite,
    });
    // Every task call failed; only the optimizer's calls went through.
    expect(report.usage.calls - report.usage.failedCalls).toBe(report.iterations.length);
    expect(report.test.complete).toBe(true);
  });
});
