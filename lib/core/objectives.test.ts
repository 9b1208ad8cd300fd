// Multi-objective acceptance: caps and trade-offs on cost per call, latency and prompt length decide
// beside quality, and the report's Pareto set of quality vs cost; without objectives nothing changes.
import { describe, expect, it } from "vitest";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { chooseWinner, measuresOf, promptChars, utilityResults, violations } from "./acceptance";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import { type CandidateRecord, type IterationRecord, qualityCostLines, qualityCostPareto } from "./report";
import { exactScorer } from "./testing/evaluation-context";
import { ruleExamples, ruleWorld, ruleWorldSettings } from "./testing/rule-world";
import type { PromptState, ScoredExample } from "./types";
import { type OptimizationSettings, runOptimization } from "./workflow";

const prompt = (system: string, demos: PromptState["demos"] = []): PromptState => ({
  systemPrompt: system,
  outputPrompt: "{{x}}",
  demos,
  params: {},
});

const result = (score: number, costUsd: number, latencyMs: number, tokens = 10): ScoredExample => ({
  exampleId: `${score}-${costUsd}`,
  output: "o",
  error: null,
  usage: { inputTokens: tokens, outputTokens: 0 },
  costUsd,
  latencyMs,
  cached: false,
  score,
  metrics: {},
});

describe("measures, caps and utilities", () => {
  it("measures cost, tokens and latency per call and the prompt's length", () => {
    const p = prompt("abc", [{ input: { x: "q" }, output: "yes" }]);
    expect(promptChars(p)).toBe(3 + 5 + JSON.stringify({ x: "q" }).length + 3);
    expect(measuresOf(p, [result(1, 0.002, 100, 10), result(0, 0.004, 300, 30)])).toEqual({
      costPerCall: 0.003,
      tokensPerCall: 20,
      latencyMs: 200,
      promptChars: promptChars(p),
    });
  });

  it("names the caps a prompt breaks", () => {
    const m = { costPerCall: 0.01, tokensPerCall: 5, latencyMs: 900, promptChars: 500 };
    expect(violations(m, { maxCostPerCall: 0.005, maxLatencyMs: 1000, maxPromptChars: 400 })).toEqual([
      "maxCostPerCall",
      "maxPromptChars",
    ]);
    expect(violations(m, {})).toEqual([]);
  });

  it("takes the weighted costs off each example's score", () => {
    const [u] = utilityResults(prompt("ab"), [result(1, 0.01, 200)], {
      costPerCall: 10,
      latencyMs: 0.001,
      promptChars: 0.01,
    });
    expect(u?.score).toBeCloseTo(1 - 0.1 - 0.2 - 0.01 * (2 + 5), 10);
  });

  it("never accepts a contender that breaks a cap, whatever its gain", () => {
    const record = (index: number, low: number, violates?: string[]): CandidateRecord => ({
      index,
      prompt: prompt(`${index}`),
      rationale: "",
      status: "evaluated",
      trainScore: 0.5,
      validationScore: 0.6,
      gain: { mean: low + 0.1, low, high: low + 0.2, n: 10 },
      accepted: false,
      ...(violates
        ? { measures: { costPerCall: 0, tokensPerCall: 0, latencyMs: 0, promptChars: 0 }, violates }
        : {}),
    });
    expect(chooseWinner([record(0, 0.3, ["maxCostPerCall"]), record(1, 0.1, [])], 0)?.index).toBe(1);
    expect(chooseWinner([record(0, 0.3, ["maxLatencyMs"])], 0)).toBeUndefined();
  });
});

describe("the Pareto set of quality vs cost", () => {
  const measures = (costPerCall: number, tokensPerCall = 10) => ({
    costPerCall,
    tokensPerCall,
    latencyMs: 5,
    promptChars: 40,
  });
  const candidate = (
    index: number,
    validationScore: number,
    cost: number,
    accepted = false,
  ): CandidateRecord => ({
    index,
    prompt: prompt(`${index}`),
    rationale: "",
    status: "evaluated",
    trainScore: null,
    validationScore,
    gain: null,
    accepted,
    measures: measures(cost),
  });
  const iteration = (
    index: number,
    candidates: CandidateRecord[],
    accepted: number | null,
  ): IterationRecord => ({
    index,
    trainExamples: 10,
    validationExamples: 10,
    incumbentTrain: { mean: 0.5, low: 0.4, high: 0.6, n: 10 },
    incumbentValidation: 0.5,
    candidates,
    accepted,
    rejectedProposals: [],
    usage: { calls: 0, cachedCalls: 0, failedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    incumbentMeasures: measures(0.002),
  });

  it("keeps the prompts no other beats on both quality and cost, cheapest first", () => {
    const report = {
      iterations: [
        iteration(1, [candidate(0, 0.7, 0.004, true), candidate(1, 0.6, 0.005)], 0),
        iteration(2, [candidate(0, 0.8, 0.006), candidate(1, 0.45, 0.001)], null),
      ],
    };
    const { unit, points } = qualityCostPareto(report);
    expect(unit).toBe("usd");
    expect(points.map((p) => [p.iteration, p.candidate])).toEqual([
      [2, 1],
      [1, null],
      [1, 0],
      [2, 0],
    ]);
    const lines = qualityCostLines(report);
    expect(lines[0]).toMatch(/Quality vs cost/);
    expect(lines[2]).toMatch(/baseline\s+validation\s+50\.0%\s+\$0\.00200\/call/);
  });

  it("is empty for a run without objectives", () => {
    const plain = iteration(1, [{ ...candidate(0, 0.7, 0), measures: undefined }], null);
    expect(qualityCostPareto({ iterations: [{ ...plain, incumbentMeasures: undefined }] }).points).toEqual(
      [],
    );
    expect(qualityCostLines({ iterations: [] })).toEqual([]);
  });
});

const settings: OptimizationSettings = ruleWorldSettings({ stop: { maxIterations: 3, patience: 2 } });

async function optimize(acceptance: OptimizationSettings["acceptance"]) {
  return runOptimization({ ...settings, acceptance }, ruleExamples(100), {
    llm: ruleWorld().llm,
    steps: createMemoryStepRunner(),
    recorder: createMemoryRecorder(),
    clock: { now: () => 0 },
    scorer: exactScorer,
    optimizer: critiqueRewrite,
  });
}

describe("acceptance with objectives, in the loop", () => {
  it("accepts better prompts within the caps, and none that break them", async () => {
    const free = await optimize({ ...settings.acceptance, objectives: {} });
    const plain = await optimize(settings.acceptance);
    // Empty objectives decide as quality alone, and only add measures to the report.
    expect(free.best).toEqual(plain.best);
    expect(plain.iterations[0]?.incumbentMeasures).toBeUndefined();
    expect(free.iterations[0]?.incumbentMeasures?.promptChars).toBe(promptChars(settings.prompt));
    expect(free.bestOrigin).not.toBeNull();
    expect(qualityCostPareto(free).points.length).toBeGreaterThan(0);

    const capped = await optimize({
      ...settings.acceptance,
      objectives: { maxPromptChars: promptChars(settings.prompt) + 5 },
    });
    expect(capped.bestOrigin).toBeNull();
    const checked = capped.iterations.flatMap((it) => it.candidates).filter((c) => c.measures);
    expect(checked.length).toBeGreaterThan(0);
    for (const c of checked) expect(c.violates).toEqual(["maxPromptChars"]);
  });

  it("trades quality for length with weights: a heavy length weight keeps the short prompt", async () => {
    const heavy = await optimize({ ...settings.acceptance, objectives: { weights: { promptChars: 0.1 } } });
    expect(heavy.bestOrigin).toBeNull();
    const light = await optimize({ ...settings.acceptance, objectives: { weights: { promptChars: 1e-6 } } });
    expect(light.bestOrigin).not.toBeNull();
  });
});
