import { describe, expect, it } from "vitest";
import { generateWorld } from "@/lib/core/worlds/generate";
import { compareStrategiesOnWorlds, meanInterval, runStrategyOnWorld } from "./strategy-comparison";

describe("strategy comparison on task worlds", () => {
  it("runs each strategy within its call budget (at most one batch over), reproducibly", async () => {
    const settings = { budgetCalls: 400, maxIterations: 8, candidates: 3 };
    const world = generateWorld(42);
    const a = await runStrategyOnWorld(world, "critique-rewrite", settings);
    const b = await runStrategyOnWorld(world, "critique-rewrite", settings);
    expect(a).toEqual(b);
    for (const strategy of ["critique-rewrite", "few-shot", "opro", "successive-halving"]) {
      const result = await runStrategyOnWorld(world, strategy, settings);
      // The loop's guard may overshoot by the calls of one batch in flight (32 examples at most here).
      expect(result.calls, strategy).toBeLessThanOrEqual(settings.budgetCalls + 32);
      expect(result.rulesDiscovered).toBeGreaterThanOrEqual(0);
    }
  });

  it("a run the call budget stops still scores the whole held-out test, inside the budget", async () => {
    // mipro on this world spends the whole budget in its loop; the reserve must hold the final test and
    // the one batch the guard lets start past it (before, no test example was scored here).
    const world = generateWorld(9002);
    const result = await runStrategyOnWorld(world, "mipro");
    expect(result.stopReason).toBe("budget_calls");
    expect(result.calls).toBeLessThanOrEqual(1500);
    expect(result.testExamples).toBe(Math.round(world.examples.length * 0.25));
  });

  it("summarizes per strategy with intervals across worlds", async () => {
    const { results, summaries } = await compareStrategiesOnWorlds(
      ["critique-rewrite", "few-shot"],
      [1, 2, 3],
    );
    expect(results).toHaveLength(6);
    expect(summaries.map((s) => s.strategy)).toEqual(["critique-rewrite", "few-shot"]);
    for (const s of summaries) expect(s.gain.low).toBeLessThanOrEqual(s.gain.high);
    expect(meanInterval([1, 2, 3])).toMatchObject({ mean: 2, n: 3 });
    expect(meanInterval([1, 2, 3]).high - 2).toBeCloseTo(1.959963985 * Math.sqrt(1 / 3), 8);
  });
});

describe("strategy comparison on a task file", () => {
  it("runs the named strategies on the bundled example with the same budget, storing nothing", async () => {
    const { compareStrategiesOnTaskFile } = await import("./strategy-comparison");
    const results = await compareStrategiesOnTaskFile("examples/sentiment/task.yaml", {
      strategies: ["few-shot", "successive-halving"],
      budget: { calls: 600 },
    });
    expect(results.map((r) => r.strategy)).toEqual(["few-shot", "successive-halving"]);
    for (const { report } of results) {
      expect(report.usage.calls).toBeLessThanOrEqual(600 + 32);
      expect(report.test.best.n).toBeGreaterThan(0);
    }
    await expect(
      compareStrategiesOnTaskFile("examples/sentiment/task.yaml", { strategies: ["evolution"], budget: {} }),
    ).rejects.toThrow(/unknown strategy "evolution"/);
  }, 60_000);
});
