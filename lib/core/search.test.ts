// The wider optimizer port: a strategy that keeps state across iterations and scores its candidates on
// subsets it chooses (successive halving), through durable steps with stable ids and the run's budgets.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import type { OptimizerInput, OptimizerStrategy, SearchPort } from "./optimizer";
import type { LlmPort } from "./ports";
import { exactScorer } from "./testing/evaluation-context";
import { ruleExamples, ruleWorld } from "./testing/rule-world";
import { type OptimizationSettings, runOptimization } from "./workflow";

interface HalvingState {
  /** Iterations run so far, and the survivors' system prompts of each. */
  iterations: number;
  survivors: string[][];
}

const seenStates: HalvingState[] = [];

/** Round 1: every candidate on the first 12 examples; round 2: the better half on the whole minibatch. */
const halving: OptimizerStrategy<{ firstRound: number }, HalvingState> = {
  name: "test-halving",
  description: "successive halving over critique-rewrite proposals",
  options: z.object({ firstRound: z.number().int().positive().default(12) }).strict(),
  init: () => ({ iterations: 0, survivors: [] }),
  async iterate(search: SearchPort, state, options) {
    seenStates.push(state);
    const proposal = await search.propose((input, ctx) => critiqueRewrite.propose(input, ctx));
    const round1 = await search.score(proposal.candidates, {
      examples: search.minibatch.slice(0, options.firstRound),
      label: "round-1",
    });
    const ranked = round1
      .filter((c) => c.status === "evaluated")
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
    const half = ranked.slice(0, Math.max(1, Math.ceil(ranked.length / 2))).map((c) => c.candidate);
    const round2 = await search.score(half, { label: "round-2" });
    return {
      state: {
        iterations: state.iterations + 1,
        survivors: [...state.survivors, half.map((c) => c.prompt.systemPrompt)],
      },
      contenders: round2
        .filter((c) => (c.score ?? 0) > search.incumbentTrain.score.mean)
        .sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
        .map((c) => c.index),
    };
  },
  plan: () => ({
    proposals: 1,
    scorings: [
      { candidates: "k", examples: 12 },
      { candidates: 2, examples: "minibatch" },
    ],
  }),
};

const settings: OptimizationSettings = {
  prompt: { systemPrompt: "Answer.", outputPrompt: "Item: {{item}}", demos: [], params: {} },
  taskModel: { id: "fake:task", concurrency: 4 },
  optimizerModel: { id: "fake:optimizer" },
  candidates: 4,
  failures: 8,
  splits: { validation: 0.3, test: 0.3, minibatch: 30 },
  acceptance: { confidence: 0.9, minGain: 0, bootstrapSamples: 500, validateTop: 1 },
  stop: { maxIterations: 3, patience: 3 },
  budget: {},
  seed: 5,
  batchSize: 10,
};

async function optimize(
  strategy: OptimizerStrategy<never, never>,
  llm: LlmPort,
  steps = createMemoryStepRunner(),
) {
  const recorder = createMemoryRecorder();
  const report = await runOptimization(settings, ruleExamples(200), {
    llm,
    steps,
    recorder,
    clock: { now: () => 0 },
    scorer: exactScorer,
    optimizer: strategy as OptimizerStrategy,
  });
  return { report, steps, recorder };
}

describe("a strategy with its own search state and subsets", () => {
  it("keeps its state from one iteration to the next", async () => {
    seenStates.length = 0;
    const { report } = await optimize(halving as never, ruleWorld().llm);
    expect(report.iterations.length).toBeGreaterThanOrEqual(2);
    expect(seenStates[0]).toEqual({ iterations: 0, survivors: [] });
    expect(seenStates[1]?.iterations).toBe(1);
    expect(seenStates[1]?.survivors[0]).toHaveLength(2);
  });

  it("scores its subsets in labelled durable steps and pays once per prompt and example", async () => {
    const world = ruleWorld();
    const { report, steps } = await optimize(halving as never, world.llm);
    const first = steps.executed.filter((id) => id.startsWith("iter-1/"));
    expect(first).toContain("iter-1/refined-inference/round-1/cand-0/batch-1");
    expect(first).toContain("iter-1/comparative-evaluation/round-1/train");
    expect(first).toContain("iter-1/comparative-evaluation/round-2/train");
    // Round 2 of a survivor covers the 30-example minibatch but pays only for the 18 it has not seen:
    // two batches (10 + 8) each, not three.
    const round2 = first.filter((id) => id.startsWith("iter-1/refined-inference/round-2/"));
    expect(round2).toHaveLength(2 * 2);
    const calls = round2.reduce(
      (sum, id) => sum + (steps.results.get(id) as { usage: { calls: number } }).usage.calls,
      0,
    );
    expect(calls).toBe(2 * 18);
    const [iteration] = report.iterations;
    expect(iteration?.candidates).toHaveLength(4);
    const survivors = iteration?.candidates.filter(
      (c) => c.trainScore !== null && first.some((id) => id.includes(`round-2/cand-${c.index}/`)),
    );
    expect(survivors).toHaveLength(2);
    // The run counted every call the strategy's scoring made.
    expect(report.usage.calls).toBe(world.calls);
  });

  it("rebuilds the same search on replay, without calling the model again", async () => {
    const first = await optimize(halving as never, ruleWorld().llm);
    const silent: LlmPort = {
      generate: async () => {
        throw new Error("a finished step was paid for twice");
      },
      embed: async () => {
        throw new Error("unused");
      },
    };
    const replay = await runOptimization(settings, ruleExamples(200), {
      llm: silent,
      steps: createMemoryStepRunner(first.steps.results),
      recorder: first.recorder,
      clock: { now: () => 0 },
      scorer: exactScorer,
      optimizer: halving as OptimizerStrategy,
    });
    expect(replay).toEqual(first.report);
  });

  it("refuses a label used twice in one iteration (its steps would replay the first one's)", async () => {
    const twice: OptimizerStrategy<Record<string, never>, null> = {
      ...(halving as unknown as OptimizerStrategy<Record<string, never>, null>),
      options: z.object({}),
      init: () => null,
      async iterate(search) {
        const proposal = await search.propose((input, ctx) => critiqueRewrite.propose(input, ctx));
        await search.score(proposal.candidates.slice(0, 1));
        await search.score(proposal.candidates.slice(1));
        return { state: null, contenders: [] };
      },
    };
    await expect(optimize(twice as never, ruleWorld().llm)).rejects.toThrow(
      'iteration 1: score label "(none)" used twice',
    );
  });

  it("gives a prompt one index, scores it once per call, and never scores a rejected one", async () => {
    const scored: unknown[] = [];
    const repeat: OptimizerStrategy<Record<string, never>, null> = {
      name: "test-repeat",
      description: "",
      options: z.object({}),
      init: () => null,
      async iterate(search) {
        const proposal = await search.propose((input, ctx) => critiqueRewrite.propose(input, ctx));
        const [a] = proposal.candidates;
        if (!a) return { state: null, contenders: [] };
        const broken = { ...a, prompt: { ...a.prompt, outputPrompt: "no variables" } };
        const result = await search.score([a, a, broken]);
        const none = await search.score([{ ...broken, rationale: "again" }], { label: "only-broken" });
        scored.push(result.map((c) => [c.index, c.status, c.examples]));
        scored.push(none.map((c) => [c.index, c.status, c.score]));
        return { state: null, contenders: [result[0]?.index ?? 0] };
      },
    };
    const { report, steps } = await optimize(repeat as never, ruleWorld().llm);
    expect(scored[0]).toEqual([
      [0, "evaluated", 30],
      [0, "evaluated", 30],
      [1, "rejected", 0],
    ]);
    // A rejected prompt keeps no index: proposed again, it is checked (and recorded) again, never scored.
    expect(scored[1]).toEqual([[2, "rejected", null]]);
    expect(report.iterations[0]?.candidates.map((c) => c.status)).toEqual([
      "evaluated",
      "rejected",
      "rejected",
    ]);
    expect(steps.executed.filter((id) => id.includes("only-broken"))).toEqual([]);
  });
});

describe("what a strategy sees", () => {
  it("the iteration, its examples, the incumbent's summary and failures, and seeded randomness", async () => {
    const seen: Record<string, unknown>[] = [];
    const looking: OptimizerStrategy<Record<string, never>, null> = {
      name: "test-looking",
      description: "",
      options: z.object({}),
      init: () => null,
      async iterate(search) {
        const inputs: OptimizerInput[] = [];
        const proposal = await search.propose(async (input) => {
          inputs.push(input);
          return { candidates: [], rejected: [{ reason: "nothing to say", raw: "x".repeat(5_000) }] };
        }, "first-look");
        await search.propose(async (input) => {
          inputs.push(input);
          return { candidates: [], rejected: [] };
        });
        seen.push({
          iteration: search.iteration,
          k: search.k,
          incumbent: search.incumbent.systemPrompt,
          variables: search.variables,
          history: search.history.length,
          train: search.train.length,
          minibatch: search.minibatch.length,
          incumbentTrain: search.incumbentTrain,
          same: [search.random("a")(), search.random("a")()],
          other: [search.random("a")(), search.random("b")(), search.random()()],
          inputs,
          raw: proposal.rejected[0]?.raw.length,
        });
        return { state: null, contenders: [] };
      },
    };
    const steps = createMemoryStepRunner();
    const report = await runOptimization(
      { ...settings, failures: 3, stop: { maxIterations: 1, patience: 1 } },
      ruleExamples(200),
      {
        llm: ruleWorld().llm,
        steps,
        recorder: createMemoryRecorder(),
        clock: { now: () => 0 },
        scorer: exactScorer,
        optimizer: looking as OptimizerStrategy,
      },
    );
    const [view] = seen as {
      same: number[];
      other: number[];
      inputs: OptimizerInput[];
      incumbentTrain: { score: { n: number; mean: number } };
    }[];
    expect(seen[0]).toMatchObject({
      iteration: 1,
      k: 4,
      incumbent: "Answer.",
      variables: ["item"],
      history: 0,
      train: 80,
      minibatch: 30,
      raw: 2_000,
    });
    expect(view?.incumbentTrain.score.n).toBe(30);
    expect(view?.same[0]).toBe(view?.same[1]);
    expect(new Set(view?.other).size).toBe(3);
    expect(steps.executed).toContain("iter-1/optimizer/first-look");
    expect(steps.executed).toContain("iter-1/optimizer");
    expect(report.iterations[0]?.rejectedProposals).toEqual([{ reason: "nothing to say" }]);
    // The proposal's input: the 3 worst training examples with what the model answered, and the train split.
    const [first, second] = view?.inputs ?? [];
    expect(first?.failures).toHaveLength(3);
    expect(first?.failures[0]).toMatchObject({
      actual: "unsure",
      error: null,
      score: 0,
      metrics: { exact_match: { score: 0 } },
    });
    expect(
      first?.failures.every(
        (f) => f.input.item?.includes(f.exampleId.slice(3)) && f.expected.endsWith("-answer"),
      ),
    ).toBe(true);
    expect(first?.summary.score.n).toBe(30);
    expect(first?.trainExamples).toHaveLength(80);
    expect([first?.iteration, first?.k, first?.variables]).toEqual([1, 4, ["item"]]);
    expect(first?.random()).not.toBe(second?.random());
    // No candidate was scored: no summary step of the candidates' scores.
    expect(steps.executed.filter((id) => id.includes("comparative-evaluation"))).toEqual([]);
  });
});
