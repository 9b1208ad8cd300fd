// GEPA and MIPRO in the real loop (the rule world of lib/core/testing): a run's call budget is never
// exceeded by more than the batch in flight, and a replay over the stored steps rebuilds the same run
// without calling a model.
import { describe, expect, it } from "vitest";
import { DEFAULT_WINDOW } from "@/lib/core/evaluate";
import { createMemoryRecorder } from "@/lib/core/memory-recorder";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import type { OptimizerStrategy } from "@/lib/core/optimizer";
import { exactScorer } from "@/lib/core/testing/evaluation-context";
import { ruleExamples, ruleWorld } from "@/lib/core/testing/rule-world";
import { type OptimizationSettings, runOptimization } from "@/lib/core/workflow";
import { gepa } from "./gepa";
import { mipro } from "./mipro";

const settings: OptimizationSettings = {
  prompt: { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", demos: [], params: {} },
  taskModel: { id: "fake:task", concurrency: 4 },
  optimizerModel: { id: "fake:optimizer" },
  candidates: 3,
  failures: 8,
  splits: { validation: 0.3, test: 0.3, minibatch: 20 },
  acceptance: { confidence: 0.9, minGain: 0, bootstrapSamples: 300, validateTop: 2 },
  stop: { maxIterations: 6, patience: 6 },
  budget: {},
  seed: 11,
  batchSize: 10,
};

const strategies = { gepa, mipro } as unknown as Record<string, OptimizerStrategy>;
const options: Record<string, Record<string, unknown>> = {
  gepa: { paretoSize: 12 },
  mipro: { bootstrapExamples: 12 },
};

async function optimize(
  name: string,
  budget: OptimizationSettings["budget"],
  steps = createMemoryStepRunner(),
) {
  const world = ruleWorld();
  const strategy = strategies[name] as OptimizerStrategy;
  const report = await runOptimization(
    { ...settings, budget, optimizerOptions: options[name] },
    ruleExamples(160),
    {
      llm: world.llm,
      steps,
      recorder: createMemoryRecorder(),
      clock: { now: () => 0 },
      scorer: exactScorer,
      optimizer: strategy,
    },
  );
  return { report, steps, world };
}

describe.each(["gepa", "mipro"])("%s in the loop", (name) => {
  it("stays within the call budget but for the batch in flight", async () => {
    const stops: string[] = [];
    for (const calls of [150, 400, 700]) {
      const { report } = await optimize(name, { calls });
      stops.push(report.stopReason);
      // The batches in flight when the budget is reached (DEFAULT_WINDOW of them) still finish.
      expect(report.usage.calls).toBeLessThanOrEqual(calls + (settings.batchSize as number) * DEFAULT_WINDOW);
    }
    expect(stops).toContain("budget_calls");
  });

  it("replays a finished run from its steps to the same report, calling no model", async () => {
    const first = await optimize(name, {});
    expect(first.report.iterations.length).toBeGreaterThan(1);
    const replay = await optimize(name, {}, createMemoryStepRunner(first.steps.results));
    expect(replay.report).toEqual(first.report);
    expect(replay.steps.executed).toEqual([]);
  });
});
