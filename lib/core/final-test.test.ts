import { describe, expect, it } from "vitest";
import { compareOnTest, testChunkSize } from "./final-test";
import { BudgetExhausted } from "./meter";
import { delayedModel, items, prompt, testContext } from "./testing/evaluation-context";

describe("compareOnTest", () => {
  it("chunks the test split by 50 examples, or by whole batches when batches are larger", () => {
    expect(testChunkSize(10)).toBe(50);
    expect(testChunkSize(50)).toBe(50);
    expect(testChunkSize(64)).toBe(64);
  });

  it("scores baseline and best chunk by chunk, and the baseline alone when it stayed best", async () => {
    const { llm, stats } = delayedModel();
    const { ctx, steps } = testContext(llm, { batchSize: 30 });
    const verdict = await compareOnTest(ctx, {
      test: items(70),
      baseline: prompt(),
      best: prompt("Better."),
      seed: 1,
      bootstrapSamples: 200,
    });
    expect(steps.executed.sort()).toEqual([
      "final/test/chunk-0/baseline/batch-0",
      "final/test/chunk-0/baseline/batch-1",
      "final/test/chunk-0/best/batch-0",
      "final/test/chunk-0/best/batch-1",
      "final/test/chunk-1/baseline/batch-0",
      "final/test/chunk-1/best/batch-0",
      "final/test/summary",
    ]);
    expect(verdict).toMatchObject({ complete: true, baseline: { n: 70, mean: 1 }, best: { n: 70 } });
    expect(stats.calls).toBe(140);

    const same = testContext(delayedModel().llm, { batchSize: 30 });
    const alone = await compareOnTest(same.ctx, {
      test: items(70),
      baseline: prompt(),
      best: prompt(),
      seed: 1,
      bootstrapSamples: 200,
    });
    expect(same.steps.executed.sort()).toEqual([
      "final/test/chunk-0/baseline/batch-0",
      "final/test/chunk-0/baseline/batch-1",
      "final/test/chunk-1/baseline/batch-0",
      "final/test/summary",
    ]);
    expect(alone.best).toEqual(alone.baseline);
    expect(alone.gain).toMatchObject({ mean: 0, low: 0, high: 0, n: 70 });
  });

  it.each([
    [13, 50],
    [18, 50],
    [21, 100],
  ])(
    "stopped before batch check %i, keeps the %i examples of the chunks both prompts finished",
    async (stopAt, n) => {
      let checks = 0;
      const { ctx } = testContext(delayedModel(() => 1).llm, {
        batchSize: 10,
        beforeBatch: () => {
          // Chunks of 50, 5 batches per prompt each: checks 11-15 are chunk 1's baseline, 16-20 its best.
          if (++checks === stopAt) throw new BudgetExhausted("calls");
        },
      });
      const verdict = await compareOnTest(ctx, {
        test: items(120),
        baseline: prompt(),
        best: prompt("Better."),
        seed: 1,
        bootstrapSamples: 200,
      });
      expect(verdict.complete).toBe(false);
      expect(verdict.baseline.n).toBe(n);
      expect(verdict.gain.n).toBe(n);
    },
  );

  it("scores each prompt as itself, in whole chunks, reporting each chunk's progress", async () => {
    const llm = {
      ...delayedModel().llm,
      async generate(request: { messages: { role: string; content: string }[] }) {
        const better = request.messages[0]?.content === "Better.";
        return {
          text: better ? "ok" : "no",
          usage: { inputTokens: 1, outputTokens: 1 },
          latencyMs: 0,
          costUsd: 0,
          cached: false,
        };
      },
    };
    const { ctx, progress, recorder } = testContext(llm as never, { batchSize: 50 });
    const verdict = await compareOnTest(ctx, {
      test: items(100),
      baseline: prompt(),
      best: prompt("Better."),
      seed: 1,
      bootstrapSamples: 200,
    });
    expect([verdict.baseline.mean, verdict.best.mean, verdict.gain.mean]).toEqual([0, 1, 1]);
    expect(progress.filter((p) => p.startsWith("begin"))).toEqual([
      "begin final test: baseline 0 50",
      "begin final test: best 0 50",
      "begin final test: baseline 0 50",
      "begin final test: best 0 50",
    ]);
    expect(
      [...(recorder.phases.get("final/test/best")?.values() ?? [])].every((r) => r.output === "ok"),
    ).toBe(true);
    expect(
      [...(recorder.phases.get("final/test/baseline")?.values() ?? [])].every((r) => r.output === "no"),
    ).toBe(true);
    expect([...recorder.splits]).toEqual([
      ["final/test/baseline", "test"],
      ["final/test/best", "test"],
    ]);
  });

  it("lets any other error through", async () => {
    const { ctx } = testContext(delayedModel().llm, {
      beforeBatch: () => {
        throw new Error("the database is gone");
      },
    });
    await expect(
      compareOnTest(ctx, {
        test: items(5),
        baseline: prompt(),
        best: prompt("B."),
        seed: 1,
        bootstrapSamples: 200,
      }),
    ).rejects.toThrow("the database is gone");
  });
});
