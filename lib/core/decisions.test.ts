// The loop's decisions as pure functions: stop rules, contenders, the winner, and the summaries the
// summary steps compute from recorded results.
import { describe, expect, it } from "vitest";
import { chooseWinner, pickContenders } from "./acceptance";
import { promptKey } from "./prompt";
import type { CandidateRecord } from "./report";
import { candidateProblem } from "./search";
import { staleCount, stopAfterIteration, targetReached } from "./stop-rules";
import { summarizeIncumbent, testVerdict, validationVerdict } from "./summaries";
import { prompt } from "./testing/evaluation-context";
import type { ScoredExample } from "./types";

const result = (id: string, score: number, error: string | null = null): ScoredExample => ({
  exampleId: id,
  output: error ? null : "out",
  error,
  usage: { inputTokens: 1, outputTokens: 1 },
  costUsd: 0,
  latencyMs: 0,
  cached: false,
  score,
  metrics: { m: { score } },
});

const candidate = (index: number, overrides: Partial<CandidateRecord> = {}): CandidateRecord => ({
  index,
  prompt: prompt(`c${index}`),
  rationale: "",
  status: "evaluated",
  trainScore: 0.5,
  validationScore: null,
  gain: null,
  accepted: false,
  ...overrides,
});

const gain = (mean: number, low: number) => ({ mean, low, high: mean + (mean - low), n: 10 });

describe("stop rules", () => {
  it("stops for patience exactly when that many iterations in a row found no winner", () => {
    const stop = { maxIterations: 10, patience: 3 };
    let stale = 0;
    const reasons = [false, false, false].map((accepted) => {
      stale = staleCount(stale, accepted);
      return stopAfterIteration(stop, stale, 0);
    });
    expect(reasons).toEqual([null, null, "patience"]);
    expect(staleCount(2, true)).toBe(0);
    expect(stopAfterIteration({ maxIterations: 10, patience: 1 }, 0, 0)).toBeNull();
  });

  it("stops at the target score when it is reached, not before", () => {
    const stop = { maxIterations: 10, patience: 5, targetScore: 0.8 };
    expect(targetReached(stop, 0.8)).toBe(true);
    expect(targetReached(stop, 0.7999)).toBe(false);
    expect(targetReached({ maxIterations: 1, patience: 1 }, 1)).toBe(false);
    expect(stopAfterIteration(stop, 0, 0.8)).toBe("target_reached");
    // Patience is judged first.
    expect(stopAfterIteration(stop, 5, 0.9)).toBe("patience");
  });
});

describe("acceptance", () => {
  it("checks the evaluated contenders the strategy named, in its order, at most validateTop", () => {
    const candidates = [candidate(0), candidate(1, { status: "rejected" }), candidate(2), candidate(3)];
    expect(pickContenders(candidates, [3, 0, 2], 2).map((c) => c.index)).toEqual([3, 0]);
    expect(pickContenders(candidates, [2, 2, 0], 5).map((c) => c.index)).toEqual([2, 0]);
    expect(pickContenders(candidates, [], 2)).toEqual([]);
    expect(() => pickContenders(candidates, [1], 2)).toThrow(
      "contender 1, which is not an evaluated candidate",
    );
    expect(() => pickContenders(candidates, [9], 2)).toThrow("contender 9");
  });

  it("accepts the largest mean gain among those whose interval's low end exceeds minGain", () => {
    const contenders = [
      candidate(0, { gain: gain(0.05, 0.01) }),
      candidate(1, { gain: gain(0.2, -0.01) }),
      candidate(2, { gain: gain(0.08, 0.02) }),
      candidate(3, { gain: null }),
    ];
    expect(chooseWinner(contenders, 0)?.index).toBe(2);
    expect(chooseWinner(contenders, 0.015)?.index).toBe(2);
    // Strictly above minGain.
    expect(chooseWinner(contenders, 0.02)).toBeUndefined();
    expect(chooseWinner([candidate(0, { gain: gain(0.1, 0) })], 0)).toBeUndefined();
  });
});

describe("candidate checks", () => {
  it("name every variable a candidate drops or invents, and a prompt already tried", () => {
    const variables = ["a", "b", "c"];
    const withTemplate = (outputPrompt: string) => ({ ...prompt(), outputPrompt });
    expect(candidateProblem(withTemplate("{{c}}"), variables, new Set())).toBe(
      "drops template variable(s): a, b",
    );
    expect(candidateProblem(withTemplate("{{a}} {{b}} {{c}} {{d}} {{e}}"), variables, new Set())).toBe(
      "uses unknown variable(s): d, e",
    );
    const fine = withTemplate("{{a}} {{b}} {{c}}");
    expect(candidateProblem(fine, variables, new Set())).toBeNull();
    expect(candidateProblem(fine, variables, new Set([promptKey(fine)]))).toBe(
      "repeats a prompt already tried",
    );
  });
});

describe("summaries", () => {
  it("summarizes the incumbent: interval, metric means, failed calls, worst failures first", () => {
    const train = [
      result("a", 1),
      result("b", 0.5),
      result("c", 0, "timeout"),
      result("d", 0.25),
      result("e", 0.5),
      result("f", 1),
    ];
    const summary = summarizeIncumbent(train, [result("v1", 1), result("v2", 0)], {
      seed: 1,
      iteration: 2,
      failures: 3,
    });
    expect(summary.failures).toEqual(["c", "d", "b"]);
    expect(summary.validation).toBe(0.5);
    expect(summary.train.failed).toBe(1);
    expect(summary.train.score.mean).toBeCloseTo(3.25 / 6);
    expect(summary.train.score.n).toBe(6);
    expect(summary.train.metrics).toEqual({ m: 3.25 / 6 });
    expect(summarizeIncumbent(train, [], { seed: 1, iteration: 2, failures: 10 }).failures).toHaveLength(4);
  });

  it("seeds intervals by seed and iteration, and pairs gains by example", () => {
    const incumbent = Array.from({ length: 30 }, (_, i) => result(`${i}`, (i % 7) / 7));
    const better = Array.from({ length: 30 }, (_, i) => result(`${i}`, (i % 5) / 5 + 0.1));
    const options = { seed: 4, iteration: 1, candidate: 0, confidence: 0.95, samples: 500 };
    const verdict = validationVerdict(incumbent, better, options);
    const mean = (rows: ScoredExample[]) => rows.reduce((sum, r) => sum + r.score, 0) / rows.length;
    expect(verdict.validationScore).toBeCloseTo(mean(better));
    expect(verdict.gain.mean).toBeCloseTo(mean(better) - mean(incumbent));
    expect(validationVerdict(incumbent, better, options)).toEqual(verdict);
    expect(validationVerdict(incumbent, better, { ...options, candidate: 1 }).gain).not.toEqual(verdict.gain);
    const test = testVerdict(incumbent, better, { seed: 4, samples: 500, complete: false });
    expect(test).toMatchObject({ complete: false, baseline: { n: 30 }, gain: { n: 30 } });
    expect(test.baseline.mean).toBeCloseTo(mean(incumbent));
    expect(test.best.low).toBeLessThan(test.best.mean);
  });
});
