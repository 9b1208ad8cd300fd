// The mechanics of the search strategies, on a fake search port whose candidates have a hidden quality:
// no model, no vocabulary of the simulator.
import { describe, expect, it } from "vitest";
import type {
  Candidate,
  OptimizerInput,
  Proposal,
  ScoredCandidate,
  SearchPort,
  TriedPrompt,
} from "@/lib/core/optimizer";
import type { LlmPort, LlmRequest } from "@/lib/core/ports";
import { createRandom } from "@/lib/core/random";
import type { Example, PromptState } from "@/lib/core/types";
import { opro, oproInput, trajectory } from "./opro";
import {
  halvingSchedule,
  scheduleCalls,
  successiveHalving,
  successiveHalvingOptions,
} from "./successive-halving";

const prompt = (system: string): PromptState => ({
  systemPrompt: system,
  outputPrompt: "{{text}}",
  demos: [],
  params: {},
});

describe("halvingSchedule", () => {
  it("halves the candidates and doubles the examples until the survivors or the split are reached", () => {
    expect(halvingSchedule(8, 8, 2, 2, 100)).toEqual([
      { candidates: 8, examples: 8 },
      { candidates: 4, examples: 16 },
      { candidates: 2, examples: 32 },
    ]);
    expect(halvingSchedule(8, 8, 2, 1, 20)).toEqual([
      { candidates: 8, examples: 8 },
      { candidates: 4, examples: 16 },
      { candidates: 2, examples: 20 },
    ]);
    expect(halvingSchedule(9, 4, 3, 1, 1000)).toEqual([
      { candidates: 9, examples: 4 },
      { candidates: 3, examples: 12 },
      { candidates: 1, examples: 36 },
    ]);
    expect(halvingSchedule(2, 8, 2, 2, 100)).toEqual([{ candidates: 2, examples: 8 }]);
    expect(scheduleCalls(halvingSchedule(8, 8, 2, 2, 100))).toBe(8 * 8 + 4 * 16 + 2 * 32);
  });
});

/** A search port whose candidate i has true quality quality[i]; scores are exact (a noiseless world). */
function fakeSearch(quality: number[], train: Example[], seed = 1) {
  const scorings: { indexes: number[]; examples: string[]; label?: string }[] = [];
  const candidates: Candidate[] = quality.map((q, i) => ({
    prompt: prompt(`candidate ${i} q=${q}`),
    rationale: `${i}`,
  }));
  const search = {
    iteration: 1,
    k: 3,
    incumbent: prompt("incumbent"),
    variables: ["text"],
    history: [],
    train,
    minibatch: train.slice(0, 8),
    incumbentTrain: { score: { mean: 0.3, low: 0.2, high: 0.4, n: 8 }, metrics: {}, failed: 4 },
    random: (label?: string) => createRandom(`${seed}:${label ?? ""}`),
    async propose(): Promise<Proposal> {
      return { candidates, rejected: [] };
    },
    async score(list: readonly Candidate[], options: { examples?: readonly Example[]; label?: string } = {}) {
      const indexes = list.map((c) => candidates.indexOf(c));
      scorings.push({ indexes, examples: (options.examples ?? []).map((e) => e.id), label: options.label });
      return indexes.map(
        (index, i): ScoredCandidate => ({
          index,
          candidate: list[i] as Candidate,
          status: "evaluated",
          score: quality[index] as number,
          examples: options.examples?.length ?? 0,
        }),
      );
    },
  } as unknown as SearchPort;
  return { search, scorings };
}

const train: Example[] = Array.from({ length: 40 }, (_, i) => ({
  id: `e${i}`,
  input: { text: `t${i}` },
  expected: "x",
}));

describe("successive-halving", () => {
  const options = successiveHalvingOptions.parse({});

  it("scores the pool on nested, growing subsets and keeps the better half each rung", async () => {
    const quality = [0.1, 0.9, 0.5, 0.2, 0.8, 0.35, 0.6, 0.05];
    const { search, scorings } = fakeSearch(quality, train);
    const outcome = await successiveHalving.iterate(search, null, options);
    expect(scorings.map((s) => [s.indexes.length, s.examples.length, s.label])).toEqual([
      [8, 8, "rung-0"],
      [4, 16, "rung-1"],
      [2, 32, "rung-2"],
    ]);
    expect(scorings[1]?.indexes.sort()).toEqual([1, 2, 4, 6]);
    expect(scorings[2]?.indexes.sort()).toEqual([1, 4]);
    for (let r = 1; r < scorings.length; r++)
      expect(scorings[r]?.examples.slice(0, scorings[r - 1]?.examples.length)).toEqual(
        scorings[r - 1]?.examples,
      );
    expect(outcome.contenders).toEqual([1, 4]);
    // Paid: 8·8 + 4·16 + 2·32 scored examples, as the plan says at most.
    const paid = scorings.reduce((sum, s) => sum + s.indexes.length * s.examples.length, 0);
    const plan = successiveHalving.plan(options);
    expect(paid).toBe(
      plan.scorings.reduce((sum, s) => sum + (s.candidates as number) * (s.examples as number), 0),
    );
  });

  it("is deterministic for a seed, and another seed draws other subsets", async () => {
    const quality = [0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47];
    const a = fakeSearch(quality, train, 7);
    const b = fakeSearch(quality, train, 7);
    const c = fakeSearch(quality, train, 8);
    await successiveHalving.iterate(a.search, null, options);
    await successiveHalving.iterate(b.search, null, options);
    await successiveHalving.iterate(c.search, null, options);
    expect(a.scorings).toEqual(b.scorings);
    expect(a.scorings[0]?.examples).not.toEqual(c.scorings[0]?.examples);
  });

  it("offers no contender when nothing beats the incumbent", async () => {
    const { search } = fakeSearch([0.1, 0.2, 0.25, 0.05], train);
    expect((await successiveHalving.iterate(search, null, options)).contenders).toEqual([]);
  });
});

describe("opro", () => {
  const tried = (score: number, validation: number | null = null): TriedPrompt => ({
    iteration: 1,
    prompt: prompt(`p${score}`),
    rationale: "",
    trainScore: score,
    validationScore: validation,
    accepted: false,
  });

  it("keeps the best of the trajectory, sorted from lowest to highest (validation score first)", () => {
    const history = [tried(0.5), tried(0.2), tried(0.9), tried(0.1, 0.95), tried(0.7)];
    expect(trajectory(history, 3).map((h) => h.prompt.systemPrompt)).toEqual(["p0.7", "p0.9", "p0.1"]);
  });

  it("asks the optimizer model with the sorted trajectory and few exemplars in the brief", async () => {
    const requests: LlmRequest[] = [];
    const llm: LlmPort = {
      async generate(request) {
        requests.push(request);
        return {
          text: JSON.stringify({
            candidates: [{ systemPrompt: "better", outputPrompt: "{{text}}", rationale: "r" }],
          }),
          usage: { inputTokens: 1, outputTokens: 1 },
          latencyMs: 0,
          costUsd: 0,
          cached: false,
        };
      },
      async embed() {
        throw new Error("unused");
      },
    };
    const failure = {
      exampleId: "1",
      input: { text: "a" },
      expected: "b",
      actual: "c",
      error: null,
      score: 0,
      metrics: {},
    };
    const input: OptimizerInput = {
      iteration: 2,
      k: 1,
      incumbent: prompt("now"),
      variables: ["text"],
      summary: { score: { mean: 0.5, low: 0.4, high: 0.6, n: 10 }, metrics: {}, failed: 5 },
      failures: [failure, failure, failure, failure, failure],
      history: [tried(0.3), tried(0.8), tried(0.5)],
      trainExamples: [],
      random: createRandom(1),
    };
    const proposal = await opro.propose(
      input,
      { llm, model: "sim:default" },
      { ...opro.options.parse({}), exemplars: 2 },
    );
    expect(proposal.candidates.map((c) => c.prompt.systemPrompt)).toEqual(["better"]);
    const [system, user] = requests[0]?.messages ?? [];
    expect(system?.content).toMatch(/sorted from lowest to highest/);
    const brief = JSON.parse(/<brief>([\s\S]*)<\/brief>/.exec(user?.content ?? "")?.[1] ?? "{}");
    expect(brief.history.map((h: { trainScore: number }) => h.trainScore)).toEqual([0.3, 0.5, 0.8]);
    expect(brief.failures).toHaveLength(2);
    expect(oproInput(input, opro.options.parse({ trajectory: 1 })).history).toHaveLength(1);
  });
});
