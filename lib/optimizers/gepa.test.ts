// GEPA's mechanics on a synthetic rule world (lib/optimizers/testing/rule-search.ts): frontier
// bookkeeping, parents from the frontier, reflection on the parent's own failures, merges, budgets.
import { describe, expect, it } from "vitest";
import { promptKey } from "@/lib/core/prompt";
import { type GepaState, gepa, gepaOptions, prunePopulation } from "./gepa";
import { mergePrompts, mergeSystemPrompts } from "./merge-prompts";
import { bestPerExample, complementaryPairs, meanScore, paretoFrontier, sampleByWins } from "./pareto";
import { basePrompt, ruleExamples, ruleSearch, withRule } from "./testing/rule-search";

describe("Pareto frontier", () => {
  it("keeps the members best on at least one example, with those examples", () => {
    const members = [
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 1, 0],
      [0.5, 0.5, 0.5, 0],
    ];
    expect(bestPerExample(members)).toEqual([1, 1, 1, 0]);
    // Example 3 nobody got: it is no one's ground. Member 3 is dominated everywhere.
    expect(paretoFrontier(members)).toEqual([
      { member: 0, wins: [0] },
      { member: 1, wins: [0, 1] },
      { member: 2, wins: [2] },
    ]);
  });

  it("ignores examples a member was not scored on", () => {
    expect(
      paretoFrontier([
        [null, 1],
        [1, 0],
      ]),
    ).toEqual([
      { member: 0, wins: [1] },
      { member: 1, wins: [0] },
    ]);
    expect(meanScore([null, 1, 0])).toBe(0.5);
  });

  it("draws parents in proportion to their wins", () => {
    const frontier = [
      { member: 4, wins: [0] },
      { member: 7, wins: [1, 2, 3] },
    ];
    expect(sampleByWins(frontier, () => 0.2)).toBe(4);
    expect(sampleByWins(frontier, () => 0.3)).toBe(7);
    expect(sampleByWins(frontier, () => 0.99)).toBe(7);
  });

  it("pairs members that each hold ground the other does not", () => {
    const frontier = paretoFrontier([
      [1, 1, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 1, 1],
      [0, 1, 1, 0],
    ]);
    expect(frontier.map((f) => f.member)).toEqual([0, 1, 2, 3]);
    // 1's ground is inside 0's: never paired with 0.
    const pairs = complementaryPairs(frontier);
    expect(pairs[0]).toEqual([0, 2]);
    expect(pairs).not.toContainEqual([0, 1]);
  });
});

describe("merge", () => {
  it("unions the rules of two system prompts section by section, without repeats", () => {
    const a = "You help.\n\nRules:\n- rule one\n- topic: short";
    const b = "You help.\nBe brief.\n\nRules:\n- rule two\n- topic: longer description\n\nFormat:\n- JSON";
    expect(mergeSystemPrompts(a, b)).toBe(
      "You help.\nBe brief.\n\nRules:\n- rule one\n- topic: longer description\n- rule two\n\nFormat:\n- JSON",
    );
    expect(mergeSystemPrompts(a, a)).toBe("You help.\n\nRules:\n- rule one\n- topic: short");
  });

  it("keeps the primary's output prompt and adds the other's demos up to the larger count", () => {
    const primary = { ...basePrompt("A"), demos: [{ input: { text: "x" }, output: "1" }] };
    const other = {
      ...basePrompt("B"),
      outputPrompt: "other {{text}}",
      demos: [
        { input: { text: "x" }, output: "1" },
        { input: { text: "y" }, output: "2" },
      ],
    };
    const merged = mergePrompts(primary, other);
    expect(merged.outputPrompt).toBe("{{text}}");
    expect(merged.demos.map((d) => d.output)).toEqual(["1", "2"]);
    expect(merged.systemPrompt).toBe("A\nB");
  });
});

const train = ruleExamples(24, 4);
const options = gepaOptions.parse({ paretoSize: 8 });

describe("gepa", () => {
  it("seeds the population with the incumbent, reflects on its failures, and admits children that beat it", async () => {
    const { search, log } = ruleSearch({ train, incumbent: basePrompt(), minibatch: train.slice(0, 8) });
    const outcome = await gepa.iterate(search, gepa.init(), options);
    expect(log.scorings[0]).toMatchObject({ label: "pareto-seed", rescore: true });
    expect(log.scorings[0]?.examples).toHaveLength(8);
    expect(log.proposals).toEqual([expect.objectContaining({ label: "reflect", from: "Answer." })]);
    const state = outcome.state;
    expect(state.paretoIds).toEqual(log.scorings[0]?.examples);
    // The seed plus the two children (each adds one rule: better on the minibatch and on the Pareto set).
    expect(state.members.map((m) => m.parents)).toEqual([[], [0], [0]]);
    // Both beat the incumbent on the Pareto set; the better one there comes first.
    expect([...outcome.contenders].sort()).toEqual([0, 1]);
    const means = outcome.contenders.map((i) => meanScore(state.members[i + 1]?.scores ?? []));
    expect(means).toEqual([...means].sort((x, y) => y - x));
    const pareto = log.scorings.find((s) => s.label === "pareto");
    expect(pareto?.examples).toEqual(state.paretoIds);
  });

  it("draws a frontier parent, reflects on ITS failures, and merges complementary members", async () => {
    const incumbent = basePrompt();
    const a = withRule(incumbent, "0");
    const b = withRule(incumbent, "1");
    const paretoIds = train.slice(0, 8).map((e) => e.id);
    const scoresOf = (p: typeof a) =>
      train.slice(0, 8).map((e) => (p.systemPrompt.includes(`rule-${e.expected}`) ? 1 : 0));
    const state: GepaState = {
      paretoIds,
      members: [
        { prompt: incumbent, scores: scoresOf(incumbent), parents: [], iteration: 1 },
        { prompt: a, scores: scoresOf(a), parents: [0], iteration: 1 },
        { prompt: b, scores: scoresOf(b), parents: [0], iteration: 1 },
      ],
      merged: [],
    };
    const tried = new Set([incumbent, a, b].map(promptKey));
    const { search, log } = ruleSearch({
      train,
      incumbent,
      minibatch: train.slice(8, 16),
      iteration: 2,
      tried,
    });
    const outcome = await gepa.iterate(search, state, options);
    const parent = log.proposals[0]?.from as string;
    expect([a.systemPrompt, b.systemPrompt]).toContain(parent);
    // The parent is not the incumbent: rescored on the minibatch, and its own failures fed the reflection.
    expect(log.scorings[0]).toMatchObject({ label: "parent", rescore: true });
    const rule = parent.endsWith("rule-0") ? "0" : "1";
    expect(log.proposals[0]?.failures.every((id) => train.find((e) => e.id === id)?.expected !== rule)).toBe(
      true,
    );
    // The merge of members 1 and 2 holds both rules and is scored with the reflections.
    const merged = mergePrompts(a, b).systemPrompt;
    expect(log.scorings[1]?.prompts).toContain(merged);
    expect(outcome.state.merged).toEqual(["1+2"]);
    expect(outcome.contenders.length).toBeGreaterThan(0);
  });

  it("is deterministic for a seed and pays no more than its plan", async () => {
    const run = async (seed: number) => {
      const { search, log } = ruleSearch({
        train,
        incumbent: basePrompt(),
        minibatch: train.slice(0, 8),
        seed,
        k: 3,
      });
      const outcome = await gepa.iterate(search, gepa.init(), options);
      return { outcome, log };
    };
    const [x, y, z] = [await run(5), await run(5), await run(6)];
    expect(x).toEqual(y);
    expect(x.outcome.state.paretoIds).not.toEqual(z.outcome.state.paretoIds);
    const plan = gepa.plan(options);
    const planned = plan.scorings.reduce(
      (sum, s) =>
        sum + (s.candidates === "k" ? 3 : s.candidates) * (typeof s.examples === "number" ? s.examples : 8),
      0,
    );
    expect(x.log.paid).toBeLessThanOrEqual(planned + 8);
  });

  it("prunes the population to its limit, keeping the incumbent and the frontier", () => {
    const member = (scores: number[]) => ({
      prompt: basePrompt(`${scores}`),
      scores,
      parents: [],
      iteration: 1,
    });
    const members = [member([0, 0]), member([1, 0]), member([0.5, 0.5]), member([0, 1]), member([0.2, 0.2])];
    expect(prunePopulation(members, 3, 0)).toEqual([0, 1, 3]);
    expect(prunePopulation(members, 10, 0)).toEqual([0, 1, 2, 3, 4]);
  });
});
