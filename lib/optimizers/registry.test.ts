import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/core/errors";
import type { ScoredCandidate, SearchPort } from "@/lib/core/optimizer";
import { beatingIncumbent } from "./proposing";
import {
  getOptimizer,
  isOptimizerName,
  listOptimizers,
  optimizerNames,
  optimizers,
  parseOptimizerOptions,
  searchPlanOf,
} from "./registry";

describe("registry", () => {
  it("lists every strategy with its description and default options", () => {
    expect(optimizerNames).toEqual([
      "critique-rewrite",
      "few-shot",
      "gepa",
      "mipro",
      "opro",
      "successive-halving",
    ]);
    expect(listOptimizers()).toEqual([
      {
        name: "critique-rewrite",
        description: optimizers["critique-rewrite"].description,
        defaults: { attempts: 3, temperature: 0.7 },
      },
      { name: "few-shot", description: optimizers["few-shot"].description, defaults: { demos: 4 } },
      {
        name: "gepa",
        description: optimizers.gepa.description,
        defaults: { paretoSize: 16, population: 12, merge: true, attempts: 3, temperature: 0.8 },
      },
      {
        name: "mipro",
        description: optimizers.mipro.description,
        defaults: {
          bootstrapExamples: 24,
          demoSets: 4,
          demos: 3,
          startupTrials: 4,
          attempts: 3,
          temperature: 0.9,
        },
      },
      {
        name: "opro",
        description: optimizers.opro.description,
        defaults: { trajectory: 20, exemplars: 3, attempts: 3, temperature: 1 },
      },
      {
        name: "successive-halving",
        description: optimizers["successive-halving"].description,
        defaults: { pool: 8, firstRungExamples: 8, eta: 2, survivors: 2, temperature: 0.9 },
      },
    ]);
    expect(getOptimizer("few-shot")).toBe(optimizers["few-shot"]);
    expect(isOptimizerName("few-shot")).toBe(true);
    expect(isOptimizerName("toString")).toBe(false);
  });

  it("registers each strategy under its own name", () => {
    for (const name of optimizerNames) expect(optimizers[name].name).toBe(name);
  });

  it("names the known strategies for an unknown name", () => {
    expect(() => getOptimizer("evolution")).toThrow(
      'unknown optimizer strategy "evolution" (known: critique-rewrite, few-shot, gepa, mipro, opro, successive-halving)',
    );
  });

  it("checks options with the strategy's schema, applying defaults", () => {
    expect(parseOptimizerOptions("critique-rewrite", undefined)).toEqual({ attempts: 3, temperature: 0.7 });
    expect(parseOptimizerOptions("critique-rewrite", { attempts: 1 })).toEqual({
      attempts: 1,
      temperature: 0.7,
    });
    expect(parseOptimizerOptions("few-shot", { demos: 8 })).toEqual({ demos: 8 });
  });

  it("refuses bad options naming each field under optimizer.options", () => {
    const error = (() => {
      try {
        parseOptimizerOptions("critique-rewrite", { attempts: 0, tone: "kind" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).status).toBe(400);
    expect((error as InputError).details).toEqual([
      { field: "optimizer.options.attempts", message: expect.stringContaining(">=1") },
      { field: "optimizer.options.tone", message: "unknown option" },
    ]);
    expect((error as Error).message).toContain(" >=1; optimizer.options.tone: unknown option");
    expect((error as Error).message).toMatch(
      /^Invalid options for optimizer strategy "critique-rewrite": optimizer\.options\.attempts: /,
    );
    expect(() => parseOptimizerOptions("few-shot", { demos: 17 })).toThrow("optimizer.options.demos");
    expect(parseOptimizerOptions("critique-rewrite", { temperature: 2 })).toMatchObject({ temperature: 2 });
    expect(parseOptimizerOptions("critique-rewrite", { temperature: 0, attempts: 5 })).toEqual({
      temperature: 0,
      attempts: 5,
    });
    for (const bad of [{ temperature: 2.1 }, { temperature: -0.1 }, { attempts: 6 }, { attempts: 1.5 }]) {
      expect(() => parseOptimizerOptions("critique-rewrite", bad)).toThrow(InputError);
    }
    expect(() => parseOptimizerOptions("few-shot", { demos: 0 })).toThrow(InputError);
  });

  it("says what one iteration of a strategy asks for, for the step plan", () => {
    expect(searchPlanOf("few-shot", {})).toEqual({
      proposals: 1,
      scorings: [{ candidates: "k", examples: "minibatch" }],
    });
    expect(searchPlanOf("critique-rewrite", undefined)).toEqual(searchPlanOf("few-shot", {}));
  });
});

const scored = (
  index: number,
  score: number | null,
  status: ScoredCandidate["status"] = "evaluated",
): ScoredCandidate => ({
  index,
  candidate: {
    prompt: { systemPrompt: `${index}`, outputPrompt: "{{x}}", demos: [], params: {} },
    rationale: "",
  },
  status,
  score,
  examples: status === "evaluated" ? 10 : 0,
});

describe("proposing strategies", () => {
  it("name as contenders the evaluated candidates above the incumbent, best first, ties in order", () => {
    const candidates = [
      scored(0, 0.5),
      scored(1, 0.7),
      scored(2, null, "rejected"),
      scored(3, 0.7),
      scored(4, 0.6),
    ];
    expect(beatingIncumbent(candidates, 0.5)).toEqual([1, 3, 4]);
    expect(beatingIncumbent(candidates, 0.7)).toEqual([]);
  });

  it("propose once, score every candidate on the minibatch, and keep no state", async () => {
    const calls: string[] = [];
    const strategy = optimizers["few-shot"];
    const search = {
      incumbentTrain: { score: { mean: 0.5, low: 0.4, high: 0.6, n: 10 }, metrics: {}, failed: 0 },
      async propose() {
        calls.push("propose");
        return { candidates: [scored(0, 0).candidate, scored(1, 0).candidate], rejected: [] };
      },
      async score(candidates, options) {
        calls.push(`score ${candidates.length} ${options?.label ?? "-"} ${options?.examples ?? "minibatch"}`);
        return [scored(0, 0.6), scored(1, 0.4)];
      },
    } as Pick<SearchPort, "propose" | "score" | "incumbentTrain"> as SearchPort;
    expect(strategy.init({ demos: 4 })).toBeNull();
    expect(await strategy.iterate(search, null, { demos: 4 })).toEqual({ state: null, contenders: [0] });
    expect(calls).toEqual(["propose", "score 2 - minibatch"]);
  });
});
