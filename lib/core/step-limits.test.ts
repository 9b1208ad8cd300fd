// The documented maximum optimization (20,000 examples, 10 iterations, 8 candidates, validation and test
// splits) run for real, with an instant fake model and scorer and a StepRunner that counts: every step,
// the JSON size of what each returns and the total must stay under Inngest's limits (1,000 steps, 4 MB
// per step, 32 MB in all) and under the plan made before the run.
import { describe, expect, it } from "vitest";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import type { Scorer } from "./evaluate";
import type { LlmPort, StepRunner } from "./ports";
import { hashString } from "./random";
import type { RunRecorder } from "./recorder";
import { INNGEST_LIMITS, planOptimizationSteps } from "./step-plan";
import type { Example, ScoredExample } from "./types";
import { type OptimizationSettings, runOptimization } from "./workflow";

/** Runs every step once and measures what it returns, as Inngest stores it (JSON). */
function countingSteps() {
  const sizes = new Map<string, number>();
  const runner: StepRunner = {
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      if (sizes.has(id)) throw new Error(`step id used twice: ${id}`);
      const json = JSON.stringify((await fn()) ?? null);
      sizes.set(id, json.length);
      return JSON.parse(json) as T;
    },
    async sleep() {},
  };
  return { runner, sizes };
}

/** Keeps rows as they come (no copies: 900,000 of them). */
function leanRecorder(): RunRecorder {
  const phases = new Map<string, Map<string, ScoredExample>>();
  return {
    async results(phase, _split, rows) {
      const stored = phases.get(phase) ?? new Map<string, ScoredExample>();
      for (const row of rows) stored.set(row.exampleId, row);
      phases.set(phase, stored);
    },
    async read(phase, ids) {
      const stored = phases.get(phase);
      return new Map(ids.flatMap((id) => (stored?.has(id) ? [[id, stored.get(id) as ScoredExample]] : [])));
    },
    async iteration() {},
  };
}

/** The task model is right on about 60% of examples, differently for every prompt: never perfect. */
const instantModel: LlmPort = {
  async generate(request) {
    const user = request.messages.at(-1)?.content ?? "";
    let text: string;
    if (user.includes("<brief>")) {
      const { k } = JSON.parse(user.slice(user.indexOf("<brief>") + 7, user.indexOf("</brief>"))) as {
        k: number;
      };
      const seed = request.params?.seed ?? 0;
      text = JSON.stringify({
        candidates: Array.from({ length: k }, (_, i) => ({
          systemPrompt: `Answer carefully (variant ${seed}.${i}).`,
          outputPrompt: "Item: {{item}}",
          rationale: `variant ${i}`,
        })),
      });
    } else {
      const system = request.messages[0]?.content ?? "";
      text = hashString(`${system}|${user}`) % 10 < 6 ? "right" : "wrong";
    }
    return { text, usage: { inputTokens: 20, outputTokens: 1 }, latencyMs: 0, costUsd: 0, cached: false };
  },
  async embed() {
    throw new Error("not used");
  },
};

const exact: Scorer = async ({ output, expected }) => {
  const score = output === expected ? 1 : 0;
  return { score, metrics: { exact_match: { score } } };
};

const MAXIMUM: OptimizationSettings = {
  prompt: { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", demos: [], params: {} },
  taskModel: { id: "fake:task", concurrency: 32 },
  optimizerModel: { id: "fake:optimizer" },
  candidates: 8,
  failures: 8,
  splits: { validation: 0.25, test: 0.25 },
  // The fewest resamples allowed: the steps and their sizes do not depend on it, the test's time does.
  acceptance: { confidence: 0.95, minGain: 0, bootstrapSamples: 200, validateTop: 2 },
  // Every iteration runs: no target, and patience never runs out.
  stop: { maxIterations: 10, patience: 10 },
  budget: {},
  seed: 7,
};

const percent = (used: number, limit: number) => `${((100 * used) / limit).toFixed(2)}% of ${limit}`;

describe("an optimization at the documented maximum size", () => {
  it("fits Inngest's limits with the steps and sizes its plan promised", async () => {
    const examples: Example[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: `example-${i}`,
      input: { item: `item ${i}` },
      expected: "right",
    }));
    const plan = planOptimizationSteps(MAXIMUM, examples.length);
    const { runner, sizes } = countingSteps();
    const report = await runOptimization(MAXIMUM, examples, {
      llm: instantModel,
      steps: runner,
      clock: { now: () => 0 },
      scorer: exact,
      optimizer: critiqueRewrite,
      recorder: leanRecorder(),
    });
    expect(report.iterations).toHaveLength(10);
    expect(report.iterations.every((it) => it.candidates.length === 8)).toBe(true);
    expect(report.test).toMatchObject({ complete: true, baseline: { n: 5_000 } });

    // The engine's save-winner step comes on top of the workflow's.
    const steps = sizes.size + 1;
    const largest = Math.max(...sizes.values());
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    console.log(
      `maximum optimization, batches of ${plan.batchSize}: ${steps} steps (${percent(steps, INNGEST_LIMITS.steps)}; planned ${plan.steps}), ` +
        `largest step ${largest} B (${percent(largest, INNGEST_LIMITS.stepBytes)}; planned ≤ ${plan.largestStepBytes}), ` +
        `total ${total} B (${percent(total, INNGEST_LIMITS.totalBytes)}; planned ≤ ${plan.totalBytes})`,
    );
    expect(plan.exceeds).toEqual([]);
    expect(steps).toBeLessThanOrEqual(plan.steps);
    expect(largest).toBeLessThanOrEqual(plan.largestStepBytes);
    expect(total).toBeLessThanOrEqual(plan.totalBytes);
    expect(plan.steps).toBeLessThan(INNGEST_LIMITS.steps);
    expect(plan.largestStepBytes).toBeLessThan(INNGEST_LIMITS.stepBytes);
    expect(plan.totalBytes).toBeLessThan(INNGEST_LIMITS.totalBytes);
  }, 120_000);
});
