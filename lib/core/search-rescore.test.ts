// The port's per-example scores, rescoring of a prompt tried before, and proposals built from another
// prompt's results: what a population strategy (GEPA) needs, through real durable steps and replay.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import type { OptimizerInput, OptimizerStrategy, PromptScores } from "./optimizer";
import { exactScorer } from "./testing/evaluation-context";
import { ruleExamples, ruleWorld } from "./testing/rule-world";
import type { PromptState } from "./types";
import { type OptimizationSettings, runOptimization } from "./workflow";

interface Seen {
  rescored: PromptScores[];
  briefs: OptimizerInput[];
  perExample: (number[] | undefined)[];
}

/** Iteration 1 keeps its worst candidate; iteration 2 rescores it, reflects on it and proposes from it. */
function keeper(seen: Seen): OptimizerStrategy<unknown, PromptState | null> {
  return {
    name: "test-keeper",
    description: "keeps a tried prompt across iterations",
    options: z.object({}).strict(),
    init: () => null,
    async iterate(search, kept) {
      if (kept) {
        const scores = await search.rescore(kept, { label: "kept" });
        seen.rescored.push(scores, await search.rescore(kept, { label: "kept-again" }));
      }
      const proposal = await search.propose(
        (input, ctx) => {
          seen.briefs.push(input);
          return critiqueRewrite.propose(input, ctx);
        },
        undefined,
        { from: kept ?? undefined },
      );
      const scored = await search.score(proposal.candidates, { perExample: true });
      seen.perExample.push(...scored.map((s) => s.scores));
      const worst = [...scored].sort((a, b) => (a.score ?? 0) - (b.score ?? 0))[0];
      return { state: worst?.candidate.prompt ?? kept, contenders: [] };
    },
  };
}

const settings: OptimizationSettings = {
  prompt: { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", demos: [], params: {} },
  taskModel: { id: "fake:task", concurrency: 4 },
  optimizerModel: { id: "fake:optimizer" },
  candidates: 3,
  failures: 8,
  splits: { validation: 0.3, test: 0.3, minibatch: 20 },
  acceptance: { confidence: 0.9, minGain: 0, bootstrapSamples: 200, validateTop: 1 },
  stop: { maxIterations: 2, patience: 5 },
  budget: {},
  seed: 3,
  batchSize: 10,
};

async function run(seen: Seen, steps = createMemoryStepRunner()) {
  const report = await runOptimization(settings, ruleExamples(120), {
    llm: ruleWorld().llm,
    steps,
    recorder: createMemoryRecorder(),
    clock: { now: () => 0 },
    scorer: exactScorer,
    optimizer: keeper(seen) as OptimizerStrategy,
  });
  return { report, steps };
}

describe("rescoring, per-example scores and proposals from another prompt", () => {
  it("rescores a prompt tried before in labelled steps, never as a candidate, paying once", async () => {
    const seen: Seen = { rescored: [], briefs: [], perExample: [] };
    const { report, steps } = await run(seen);
    expect(report.iterations).toHaveLength(2);
    const kept = report.iterations[0]?.candidates.find(
      (c) =>
        c.trainScore === Math.min(...(report.iterations[0]?.candidates.map((x) => x.trainScore ?? 1) ?? [])),
    );
    // Iteration 2 proposed no repeat of it: its records are the new proposal's only.
    const second = report.iterations[1]?.candidates ?? [];
    expect(second.some((c) => c.prompt.systemPrompt === kept?.prompt.systemPrompt)).toBe(false);
    const [first, again] = seen.rescored;
    expect(first?.scores).toHaveLength(20);
    expect(again).toEqual(first);
    const batches = (label: string) =>
      steps.executed.filter((id) => id.startsWith(`iter-2/refined-inference/${label}/`));
    expect(batches("kept").length).toBeGreaterThan(0);
    // The second rescoring reuses every recorded result: no batch step, only its summary.
    expect(batches("kept-again")).toEqual([]);
    expect(steps.executed).toContain("iter-2/comparative-evaluation/kept-again/train");
    // Per-example scores match the means the report records.
    for (const [i, c] of report.iterations[0]?.candidates.entries() ?? []) {
      const scores = seen.perExample[i] as number[];
      expect(c.trainScore).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 10);
    }
  });

  it("builds the brief from the kept prompt's own results, and replays identically", async () => {
    const seen: Seen = { rescored: [], briefs: [], perExample: [] };
    const first = await run(seen);
    const brief = seen.briefs[1] as OptimizerInput;
    const keptPrompt = first.report.iterations[0]?.candidates
      .map((c) => c.prompt)
      .find((p) => p.systemPrompt === brief.incumbent.systemPrompt);
    expect(keptPrompt).toBeDefined();
    expect(brief.incumbent.systemPrompt).not.toBe(settings.prompt.systemPrompt);
    expect(brief.summary.score.mean).toBeCloseTo(seen.rescored[0]?.mean ?? -1, 10);
    expect(brief.failures.length).toBe(
      Math.min(8, (seen.rescored[0]?.scores ?? []).filter((s) => s < 1).length),
    );
    const replayed: Seen = { rescored: [], briefs: [], perExample: [] };
    const again = await run(replayed, createMemoryStepRunner(first.steps.results));
    expect(again.report).toEqual(first.report);
    expect(replayed.rescored).toEqual(seen.rescored);
    expect(replayed.briefs).toEqual([]);
  });
});
