// Reports of the rule world pinned byte for byte, one per path through the loop (minibatches, folds,
// target, budgets, noise, failing calls, unusable proposals, few-shot): a refactoring of the loop must
// leave every seeded decision as it was. Update on purpose only: `npx vitest run <this file> -u`.
import { describe, expect, it } from "vitest";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { fewShot } from "@/lib/optimizers/few-shot";
import type { Scorer } from "./evaluate";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import type { OptimizerStrategy } from "./optimizer";
import { type RuleWorldOptions, ruleExamples, ruleWorld } from "./testing/rule-world";
import { type OptimizationSettings, runOptimization } from "./workflow";

const exact: Scorer = async ({ output, expected }) => {
  const score = output.trim() === expected ? 1 : 0;
  return { score, metrics: { exact_match: { score } } };
};

const base: OptimizationSettings = {
  prompt: { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", demos: [], params: {} },
  taskModel: { id: "fake:task", concurrency: 4 },
  optimizerModel: { id: "fake:optimizer" },
  candidates: 2,
  failures: 8,
  splits: { validation: 0.3, test: 0.3 },
  acceptance: { confidence: 0.95, minGain: 0, bootstrapSamples: 1000, validateTop: 2 },
  stop: { maxIterations: 5, patience: 2 },
  budget: {},
  seed: 7,
  batchSize: 10,
};

const residue = (input: string) => Number(/item (\d+)/.exec(input)?.[1]) % 25;

interface Scenario {
  settings?: Partial<OptimizationSettings>;
  world?: RuleWorldOptions;
  optimizer?: OptimizerStrategy;
}

const scenarios: Record<string, Scenario> = {
  default: {},
  minibatch: { settings: { splits: { validation: 0.3, test: 0.3, minibatch: 24 } } },
  folds: {
    settings: { splits: { validation: 0.2, test: 0.3, folds: 4 }, stop: { maxIterations: 4, patience: 4 } },
  },
  target: { settings: { stop: { maxIterations: 10, patience: 5, targetScore: 0.3 } } },
  "budget-calls": { settings: { budget: { calls: 700 } } },
  "budget-tokens": { settings: { budget: { tokens: 8400 } } },
  "budget-cost-validate-3": {
    settings: { budget: { costUsd: 0.8 }, candidates: 4, acceptance: { ...base.acceptance, validateTop: 3 } },
  },
  noise: {
    settings: { splits: { validation: 0.4, test: 0.2 } },
    world: {
      optimizerReply: (brief, call) =>
        JSON.stringify({
          candidates: [
            {
              systemPrompt: `${(brief.current as { systemPrompt: string }).systemPrompt} tweak ${call}`,
              outputPrompt: "Item: {{item}}",
              rationale: "tiny",
            },
          ],
        }),
      marker: {
        text: "tweak",
        fixes: (x) => [2, 3, 7, 22].includes(residue(x)),
        breaks: (x) => [12, 17].includes(residue(x)),
      },
    },
  },
  "failing-calls": { world: { failFor: (input) => input.includes("item 3") } },
  "unusable-proposals": {
    settings: { stop: { maxIterations: 2, patience: 3 } },
    world: { optimizerReply: (_, call) => (call % 2 ? "no JSON here" : '{"candidates": []}') },
  },
  "few-shot": { optimizer: fewShot, settings: { candidates: 3, failures: 5 } },
};

describe("pinned rule-world reports", () => {
  it.each(Object.keys(scenarios))("%s", async (name) => {
    const scenario = scenarios[name] as Scenario;
    const report = await runOptimization({ ...base, ...scenario.settings }, ruleExamples(200), {
      llm: ruleWorld(scenario.world).llm,
      steps: createMemoryStepRunner(),
      recorder: createMemoryRecorder(),
      clock: { now: () => 0 },
      scorer: exact,
      optimizer: scenario.optimizer ?? critiqueRewrite,
    });
    await expect(`${JSON.stringify(report, null, 2)}\n`).toMatchFileSnapshot(`testing/reports/${name}.json`);
  });
});
