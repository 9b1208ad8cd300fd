// MIPRO's mechanics: TPE on a synthetic objective, demos bootstrapped only from correct outputs, and the
// instruction × demo search across iterations on the synthetic rule world (no model, no sim vocabulary).
import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/core/random";
import { bootstrapDemoSets, dataSummary, type MiproState, mipro, miproOptions } from "./mipro";
import { basePrompt, modelAnswer, ruleExamples, ruleSearch, withRule } from "./testing/rule-search";
import { choiceKey, type Trial, tpeSuggest, tpeSuggestMany } from "./tpe";

/** A separable objective on a 10 × 10 grid with its optimum at (7, 2). */
const objective = ([i, d]: readonly number[]) =>
  1 - Math.abs((i as number) - 7) / 10 - Math.abs((d as number) - 2) / 10;

function searchWith(
  suggest: (trials: Trial[], random: () => number) => number[] | null,
  seed: number,
  budget: number,
) {
  const random = createRandom(`tpe-test:${seed}`);
  const trials: Trial[] = [];
  for (let t = 0; t < budget; t++) {
    const choice = suggest(trials, random);
    if (!choice) break;
    trials.push({ choice, score: objective(choice) });
  }
  return trials;
}

describe("TPE over categorical choices", () => {
  it("finds better choices than uniform draws on a synthetic objective", () => {
    const budget = 30;
    let tpeBest = 0;
    let randomBest = 0;
    let tpeLate = 0;
    let randomLate = 0;
    const seeds = 20;
    for (let seed = 0; seed < seeds; seed++) {
      const tpe = searchWith((trials, random) => tpeSuggest([10, 10], trials, random), seed, budget);
      const uniform = searchWith(
        (trials, random) =>
          tpeSuggest([10, 10], trials, random, new Set(), { gamma: 0.25, startup: 1e9, candidates: 24 }),
        seed,
        budget,
      );
      const best = (ts: Trial[]) => Math.max(...ts.map((t) => t.score ?? 0));
      const late = (ts: Trial[]) => ts.slice(-10).reduce((s, t) => s + (t.score ?? 0), 0) / 10;
      tpeBest += best(tpe) / seeds;
      randomBest += best(uniform) / seeds;
      tpeLate += late(tpe) / seeds;
      randomLate += late(uniform) / seeds;
    }
    // Its later suggestions concentrate where the good trials were.
    expect(tpeLate).toBeGreaterThan(randomLate + 0.1);
    expect(tpeBest).toBeGreaterThanOrEqual(randomBest);
  });

  it("never repeats a tried or excluded choice, is seeded, and says when the space is exhausted", () => {
    const trials: Trial[] = [
      { choice: [0, 0], score: 0.1 },
      { choice: [0, 1], score: null },
      { choice: [1, 0], score: 0.9 },
    ];
    const exclude = new Set([choiceKey([1, 1])]);
    const a = tpeSuggestMany([2, 3], trials, 10, createRandom(3), exclude, {
      gamma: 0.5,
      startup: 1,
      candidates: 8,
    });
    const b = tpeSuggestMany([2, 3], trials, 10, createRandom(3), exclude, {
      gamma: 0.5,
      startup: 1,
      candidates: 8,
    });
    expect(a).toEqual(b);
    expect(a.map(choiceKey).sort()).toEqual(["0,2", "1,2"]);
    expect(tpeSuggest([1, 1], [{ choice: [0, 0], score: 1 }], createRandom(1))).toBeNull();
  });
});

describe("demo bootstrapping", () => {
  it("keeps only the outputs that scored 1, as the model wrote them", () => {
    const examples = ruleExamples(6, 3);
    const run = {
      scores: [1, 0, 1, 0.5, 1, 1],
      outputs: ["own 0", "bad", "own 2", "half", null, "own 5"],
    };
    const sets = bootstrapDemoSets(examples, run, 5, 2, createRandom(1));
    const used = new Set(sets.flat().map((d) => d.output));
    expect([...used].sort()).toEqual(["own 0", "own 2", "own 5"]);
    for (const set of sets) expect(set).toHaveLength(2);
    // Three correct outputs make three distinct pairs at most.
    expect(sets.length).toBeLessThanOrEqual(3);
    expect(
      bootstrapDemoSets(
        examples,
        { scores: [0, 0, 0, 0, 0, 0], outputs: run.outputs },
        3,
        2,
        createRandom(1),
      ),
    ).toEqual([]);
  });

  it("summarizes the data for the proposer: output classes and input sizes", () => {
    const summary = dataSummary(ruleExamples(8, 2));
    expect(summary).toEqual({
      examples: 8,
      outputs: { kind: "classes", shares: { "0": 0.5, "1": 0.5 } },
      inputLengths: { text: 2 },
    });
  });
});

const train = ruleExamples(40, 4);
const options = miproOptions.parse({ bootstrapExamples: 16, demoSets: 3, demos: 2, startupTrials: 2 });

describe("mipro", () => {
  it("bootstraps demos from the incumbent's correct outputs, proposes instructions, and scores TPE's picks", async () => {
    const incumbent = withRule(basePrompt(), "0");
    const { search, log } = ruleSearch({ train, incumbent, minibatch: train.slice(0, 12), k: 3 });
    const outcome = await mipro.iterate(search, mipro.init(), options);
    expect(log.scorings[0]).toMatchObject({ label: "bootstrap", rescore: true });
    expect(log.scorings[0]?.examples).toHaveLength(16);
    const state = outcome.state;
    // Set 0 is the incumbent's own (none); the bootstrapped ones hold only answers it got right ("0").
    expect(state.demoSets[0]).toEqual([]);
    const demos = state.demoSets.slice(1).flat();
    expect(demos.length).toBeGreaterThan(0);
    for (const demo of demos) expect(demo.output).toBe(modelAnswer({ id: "", input: {}, expected: "0" }));
    expect(log.proposals).toEqual([expect.objectContaining({ label: "instructions" })]);
    expect(state.instructions[0]?.systemPrompt).toBe(incumbent.systemPrompt);
    expect(state.instructions.length).toBe(1 + 3);
    expect(state.trials).toHaveLength(3);
    expect(log.scorings[1]?.prompts).toHaveLength(3);
    expect(log.scorings[1]?.examples).toHaveLength(12);
  });

  it("keeps its trials across iterations, never repeats a combination, and stays within its plan", async () => {
    const incumbent = withRule(basePrompt(), "0");
    const first = ruleSearch({ train, incumbent, minibatch: train.slice(0, 12), k: 3, seed: 4 });
    const one = await mipro.iterate(first.search, mipro.init(), options);
    const second = ruleSearch({
      train,
      incumbent,
      minibatch: train.slice(12, 24),
      k: 3,
      seed: 4,
      iteration: 2,
      tried: first.tried,
    });
    const two = await mipro.iterate(second.search, one.state, options);
    expect(second.log.scorings.some((s) => s.label === "bootstrap")).toBe(false);
    const keys = two.state.trials.map((t) => choiceKey(t.choice));
    expect(new Set(keys).size).toBe(keys.length);
    expect(two.state.trials.filter((t) => t.iteration === 2)).toHaveLength(3);
    // The plan: one bootstrap of 16 and k trials on the minibatch (12).
    const plan = mipro.plan(options);
    expect(plan.scorings).toEqual([
      { candidates: 1, examples: 16 },
      { candidates: "k", examples: "minibatch" },
    ]);
    expect(first.log.paid - 12).toBeLessThanOrEqual(16 + 3 * 12);
  });

  it("is deterministic for a seed", async () => {
    const run = async (seed: number) => {
      const { search, log } = ruleSearch({
        train,
        incumbent: withRule(basePrompt(), "1"),
        minibatch: train.slice(0, 12),
        k: 3,
        seed,
      });
      return { outcome: await mipro.iterate(search, mipro.init(), options), log };
    };
    const [a, b, c] = [await run(9), await run(9), await run(10)];
    expect(a).toEqual(b);
    expect((a.outcome.state as MiproState).demoSets).not.toEqual((c.outcome.state as MiproState).demoSets);
  });
});
