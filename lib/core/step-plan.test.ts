import { describe, expect, it } from "vitest";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import {
  defaultBatchSize,
  ENGINE_STEP_RESERVE,
  INNGEST_LIMITS,
  planEvaluationSteps,
  planOptimizationSteps,
  type StepPlanSettings,
} from "./step-plan";
import { exactScorer } from "./testing/evaluation-context";
import { ruleExamples, ruleWorld } from "./testing/rule-world";
import type { PromptState } from "./types";
import { type OptimizationSettings, runOptimization } from "./workflow";

const startPrompt: PromptState = {
  systemPrompt: "Answer.",
  outputPrompt: "Item: {{item}}",
  demos: [],
  params: {},
};
const base: StepPlanSettings = {
  prompt: startPrompt,
  taskModel: { concurrency: 16 },
  candidates: 3,
  failures: 8,
  splits: { validation: 0.3, test: 0.35 },
  acceptance: { validateTop: 2 },
  stop: { maxIterations: 5 },
};
const budget = INNGEST_LIMITS.steps - ENGINE_STEP_RESERVE;

describe("planOptimizationSteps", () => {
  it("keeps two waves of the model's concurrency per batch when the job fits", () => {
    const plan = planOptimizationSteps(base, 240);
    expect(plan.batchSize).toBe(defaultBatchSize(16));
    expect(defaultBatchSize(4)).toBe(20);
    expect(plan.exceeds).toEqual([]);
    expect(plan.steps).toBeLessThan(budget);
  });

  it.each([
    ["fixed splits", { validation: 0.3, test: 0.3 }],
    ["a minibatch", { validation: 0.3, test: 0.3, minibatch: 24 }],
    ["4 folds", { validation: 0.2, test: 0.3, folds: 4 }],
  ])(
    "counts exactly the steps of a run that validates every contender and scores both prompts on test (%s)",
    async (_, splits) => {
      const settings: OptimizationSettings = {
        prompt: startPrompt,
        taskModel: { id: "fake:task", concurrency: 4 },
        optimizerModel: { id: "fake:optimizer" },
        candidates: 2,
        failures: 8,
        splits,
        acceptance: { confidence: 0.95, minGain: 0, bootstrapSamples: 500, validateTop: 2 },
        stop: { maxIterations: 1, patience: 1, targetScore: 0.3 },
        budget: {},
        seed: 7,
        batchSize: 10,
      };
      const steps = createMemoryStepRunner();
      const report = await runOptimization(settings, ruleExamples(200), {
        llm: ruleWorld().llm,
        steps,
        recorder: createMemoryRecorder(),
        clock: { now: () => 0 },
        scorer: exactScorer,
        optimizer: critiqueRewrite,
      });
      expect(report.iterations[0]?.candidates.filter((c) => c.gain !== null)).toHaveLength(2);
      expect(report.bestOrigin).not.toBeNull();
      // The plan counts the engine's save-winner step too.
      expect(planOptimizationSteps(settings, 200).steps).toBe(steps.executed.length + 1);
    },
  );

  it("takes the smallest batch that fits when the default would need too many steps", () => {
    const large = { ...base, taskModel: { concurrency: 32 }, candidates: 8, stop: { maxIterations: 10 } };
    const plan = planOptimizationSteps(large, 20_000);
    expect(plan.batchSize).toBeGreaterThan(defaultBatchSize(32));
    expect(plan.steps).toBeLessThanOrEqual(budget);
    expect(plan.exceeds).toEqual([]);
    const smaller = planOptimizationSteps({ ...large, batchSize: plan.batchSize - 1 }, 20_000);
    expect(smaller.steps).toBeGreaterThan(budget);
  });

  it("keeps a batch size it is given, and says which limit it breaks", () => {
    const plan = planOptimizationSteps(
      { ...base, batchSize: 10, candidates: 8, stop: { maxIterations: 10 } },
      20_000,
    );
    expect(plan.batchSize).toBe(10);
    // About 100,000 batch steps: too many, and their counts alone pass 32 MB.
    expect(plan.exceeds).toEqual([
      { limit: "steps", planned: plan.steps, max: 1_000 },
      { limit: "totalBytes", planned: plan.totalBytes, max: 32 * 1024 * 1024 },
    ]);
  });

  it("refuses a job no batch size fits, naming the limits it breaks", () => {
    // 100 iterations of 16 candidates: at least 36 steps an iteration, and 100 proposals of 16 prompts.
    const plan = planOptimizationSteps(
      { ...base, candidates: 16, acceptance: { validateTop: 16 }, stop: { maxIterations: 100 } },
      1_000,
    );
    expect(plan.batchSize).toBe(1_000);
    expect(plan.exceeds.map((e) => e.limit)).toEqual(["steps", "totalBytes"]);
    expect(plan.exceeds[0]?.planned).toBeGreaterThan(1_000);
  });

  it("names the size limits a huge prompt breaks (each candidate is returned by the optimizer step)", () => {
    const huge = { ...base, candidates: 16, prompt: { ...base.prompt, systemPrompt: "x".repeat(300_000) } };
    const plan = planOptimizationSteps(huge, 240);
    expect(plan.exceeds.map((e) => e.limit)).toEqual(["stepBytes", "totalBytes"]);
    expect(plan.largestStepBytes).toBeGreaterThan(INNGEST_LIMITS.stepBytes);
  });

  it("plans fewer steps with a minibatch, other sizes in cross-validation, and more for a wider search", () => {
    const full = planOptimizationSteps({ ...base, batchSize: 20 }, 2_000).steps;
    expect(
      planOptimizationSteps({ ...base, batchSize: 20, splits: { ...base.splits, minibatch: 100 } }, 2_000)
        .steps,
    ).toBeLessThan(full);
    expect(
      planOptimizationSteps({ ...base, batchSize: 20, splits: { ...base.splits, folds: 5 } }, 2_000).steps,
    ).not.toBe(full);
    const wider = planOptimizationSteps({ ...base, batchSize: 20 }, 2_000, {
      search: {
        proposals: 2,
        scorings: [
          { candidates: "k", examples: "minibatch" },
          { candidates: 1, examples: "train" },
        ],
      },
    });
    expect(wider.steps).toBeGreaterThan(full);
  });
});

describe("the plan's numbers", () => {
  const maximum = {
    ...base,
    taskModel: { concurrency: 32 },
    candidates: 8,
    splits: { validation: 0.25, test: 0.25 },
    stop: { maxIterations: 10 },
  };

  it("are pinned for the documented maximum (README: How a run works)", () => {
    expect(planOptimizationSteps(maximum, 20_000)).toEqual({
      batchSize: 1_250,
      steps: 891,
      largestStepBytes: 275_148,
      totalBytes: 3_153_712,
      exceeds: [],
    });
    expect(planEvaluationSteps({ taskModel: { concurrency: 32 } }, 1_000_000)).toEqual({
      batchSize: 1_023,
      steps: 980,
      largestStepBytes: 1_216,
      totalBytes: 431_560,
      exceeds: [],
    });
  });

  it("break a limit only above it, and pick the smallest batch whose steps reach the budget exactly", () => {
    const plan = planOptimizationSteps(maximum, 20_000);
    const exactly = { steps: plan.steps, stepBytes: plan.largestStepBytes, totalBytes: plan.totalBytes };
    const fixed = { ...maximum, batchSize: plan.batchSize };
    expect(planOptimizationSteps(fixed, 20_000, { limits: exactly }).exceeds).toEqual([]);
    const below = {
      steps: plan.steps - 1,
      stepBytes: plan.largestStepBytes - 1,
      totalBytes: plan.totalBytes - 1,
    };
    expect(planOptimizationSteps(fixed, 20_000, { limits: below }).exceeds.map((e) => e.limit)).toEqual([
      "steps",
      "stepBytes",
      "totalBytes",
    ]);
    // A budget of exactly the steps batches of 1,000 take: 1,000 is the answer, not a larger batch.
    const at1000 = planOptimizationSteps({ ...maximum, batchSize: 1_000 }, 20_000).steps;
    expect(planOptimizationSteps({ ...maximum, batchSize: 999 }, 20_000).steps).toBeGreaterThan(at1000);
    const limits = { ...INNGEST_LIMITS, steps: at1000 + ENGINE_STEP_RESERVE };
    expect(planOptimizationSteps(maximum, 20_000, { limits }).batchSize).toBe(1_000);
    // The default batch is kept when its steps reach the budget exactly.
    const small = planOptimizationSteps(base, 240);
    expect(
      planOptimizationSteps(base, 240, {
        limits: { ...INNGEST_LIMITS, steps: small.steps + ENGINE_STEP_RESERVE },
      }).batchSize,
    ).toBe(small.batchSize);
    const eval1000 = planEvaluationSteps({ taskModel: { concurrency: 32 } }, 1_000);
    expect(
      planEvaluationSteps({ taskModel: { concurrency: 32 } }, 1_000, {
        ...INNGEST_LIMITS,
        steps: eval1000.steps + ENGINE_STEP_RESERVE,
      }).batchSize,
    ).toBe(64);
    expect(
      planEvaluationSteps({ taskModel: { concurrency: 32 } }, 1_000, {
        ...INNGEST_LIMITS,
        steps: eval1000.steps + ENGINE_STEP_RESERVE - 1,
      }).batchSize,
    ).toBe(67);
  });

  it("size a strategy's scorings by the examples they name", () => {
    const withSearch = (examples: number | "minibatch" | "train", candidates: number | "k" = 1) =>
      planOptimizationSteps({ ...base, batchSize: 10, splits: { ...base.splits, minibatch: 40 } }, 1_000, {
        search: { proposals: 1, scorings: [{ candidates, examples }] },
      }).steps;
    // 1,000 examples: 350 test, 300 validation, 350 train; a minibatch of 40; batches of 10; 5 iterations.
    expect(withSearch("train") - withSearch("minibatch")).toBe(5 * (35 - 4));
    expect(withSearch(25) - withSearch(10)).toBe(5 * (3 - 1));
    expect(withSearch("minibatch", "k") - withSearch("minibatch", 1)).toBe(5 * 2 * 4);
  });
});

describe("planEvaluationSteps", () => {
  it("uses two waves of concurrency per batch, and larger batches for a million rows", () => {
    expect(planEvaluationSteps({ taskModel: { concurrency: 32 } }, 1_000)).toMatchObject({
      batchSize: 64,
      steps: 2 + 16,
      exceeds: [],
    });
    const million = planEvaluationSteps({ taskModel: { concurrency: 32 } }, 1_000_000);
    expect(million.steps).toBeLessThanOrEqual(budget);
    expect(million.batchSize).toBe(Math.ceil(1_000_000 / (budget - 2)));
    expect(million.totalBytes).toBeLessThan(INNGEST_LIMITS.totalBytes);
    const forced = planEvaluationSteps({ taskModel: { concurrency: 32 }, batchSize: 64 }, 1_000_000);
    expect(forced.exceeds.map((e) => e.limit)).toEqual(["steps"]);
  });
});
