// Pipelined evaluation in durable batch steps: the next batch's calls start while the previous batch's
// slowest call runs, at most `window` batches are in flight, and ids, results, totals and budget checks
// are the same however the calls interleave.
import { describe, expect, it } from "vitest";
import { DEFAULT_WINDOW, type EvaluationJob, evaluateJobs, meteredStep, readResults } from "./evaluate";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import { BudgetExhausted } from "./meter";
import { promptKey } from "./prompt";
import { createRandom } from "./random";
import { delayedModel, exactScorer, items, prompt, testContext } from "./testing/evaluation-context";
import type { Example } from "./types";

const job = (name: string, examples: Example[], system = "Answer."): EvaluationJob => ({
  prompt: prompt(system),
  examples,
  phase: `${name}/results`,
  split: "train",
  step: (index) => `${name}/batch-${index}`,
  progress: { step: name, iteration: 1 },
});

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("evaluateJobs", () => {
  it.each([
    [2, [5, 6, 7, 8, 9]],
    [1, []],
  ])(
    "window %i: the next batch's calls start while the previous batch's slowest call runs",
    async (window, early) => {
      const slow = gate();
      const { llm, stats } = delayedModel((item) => (item === 0 ? slow.opened : 0));
      const { ctx } = testContext(llm, { window });
      const running = evaluateJobs(ctx, [job("a", items(15))]);
      await tick();
      // Batches of 5: items 5-9 are the second batch, 10-14 the third (never with the first still open).
      expect(stats.started.filter((item) => item >= 5).sort((a, b) => a - b)).toEqual(early);
      slow.open();
      await running;
      expect(stats.calls).toBe(15);
    },
  );

  it(`keeps ${DEFAULT_WINDOW} batches in flight unless told otherwise`, async () => {
    const { llm, stats } = delayedModel(() => 5);
    const { ctx } = testContext(llm, { model: { id: "fake:task", concurrency: 5 } });
    await evaluateJobs(ctx, [job("a", items(40))]);
    expect(stats.maxInFlight).toBe(DEFAULT_WINDOW * 5);
  });

  it("keeps at most `window` batches of calls in flight", async () => {
    const { llm, stats } = delayedModel(() => 5);
    const { ctx } = testContext(llm, { window: 3, model: { id: "fake:task", concurrency: 5 } });
    await evaluateJobs(ctx, [job("a", items(40))]);
    expect(stats.maxInFlight).toBe(15);
  });

  it("gives the same steps, results, totals and budget checks however the calls finish", async () => {
    const run = async (delay: (item: number) => number) => {
      const { llm } = delayedModel(delay);
      const t = testContext(llm, { callsPerExample: 2, window: 2 });
      const refs = await evaluateJobs(t.ctx, [job("a", items(12)), job("b", items(9, 6), "Other.")]);
      const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => a.localeCompare(b));
      const stored = sorted(t.recorder.phases).map(([phase, rows]) => [phase, sorted(rows)]);
      return { refs, totals: t.totals, checks: t.checks, steps: sorted(t.steps.results), stored };
    };
    const random = createRandom(3);
    const jitter = Array.from({ length: 20 }, () => Math.floor(random() * 8));
    const instant = await run(() => 0);
    const jittered = await run((item) => jitter[item] as number);
    const withoutLatency = (value: unknown) =>
      JSON.parse(JSON.stringify(value, (key, v) => (key === "latencyMs" ? undefined : v)));
    expect(withoutLatency(jittered.steps)).toEqual(withoutLatency(instant.steps));
    expect(withoutLatency(jittered.stored)).toEqual(withoutLatency(instant.stored));
    expect(jittered.refs).toEqual(instant.refs);
    expect(jittered.totals).toEqual(instant.totals);
    // Each check counts the batch in flight (its examples × 2 calls): batches of 5, 5, 2, then 5, 4.
    expect(instant.checks).toEqual([0, 10, 10, 4, 10]);
    expect(jittered.checks).toEqual(instant.checks);
  });

  it("stores each batch's results before its step returns, and the step returns counts only", async () => {
    const { llm } = delayedModel();
    const { ctx, steps, recorder } = testContext(llm);
    const [ref] = await evaluateJobs(ctx, [job("a", items(7))]);
    expect(steps.executed.sort()).toEqual(["a/batch-0", "a/batch-1"]);
    expect(steps.results.get("a/batch-1")).toEqual({
      value: { phase: "a/results", examples: 2, failed: 0 },
      usage: { calls: 2, cachedCalls: 0, failedCalls: 0, inputTokens: 20, outputTokens: 2, costUsd: 0.002 },
    });
    expect(recorder.phases.get("a/results")?.size).toBe(7);
    expect(ref).toEqual({ ids: items(7).map((e) => e.id), phases: Array(7).fill("a/results") });
  });

  it("never pays twice for a prompt on an example: results already recorded are reused", async () => {
    const { llm, stats } = delayedModel();
    const { ctx, recorder } = testContext(llm);
    await evaluateJobs(ctx, [job("a", items(10))]);
    const [ref] = await evaluateJobs(ctx, [job("b", items(10, 5))]);
    expect(stats.calls).toBe(15);
    expect(ref?.phases).toEqual([...Array(5).fill("a/results"), ...Array(5).fill("b/results")]);
    const results = await readResults(recorder, ref as NonNullable<typeof ref>);
    expect(results.map((r) => r.exampleId)).toEqual(items(10, 5).map((e) => e.id));
    // The same examples under another prompt are new.
    await evaluateJobs(ctx, [job("c", items(10), "Other.")]);
    expect(stats.calls).toBe(25);
  });

  it("stops before a batch when the check throws, after the batches in flight finished and were counted", async () => {
    const { llm } = delayedModel(() => 3);
    let checks = 0;
    const { ctx, totals, steps } = testContext(llm, {
      beforeBatch: () => {
        if (++checks === 3) throw new BudgetExhausted("calls");
      },
    });
    const error = await evaluateJobs(ctx, [job("a", items(20))]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExhausted);
    expect(steps.executed.sort()).toEqual(["a/batch-0", "a/batch-1"]);
    expect(totals.calls).toBe(10);
    expect(ctx.known.phaseOf(promptKey(prompt()), "ex-9")).toBe("a/results");
    expect(ctx.known.phaseOf(promptKey(prompt()), "ex-10")).toBeUndefined();
  });

  it("throws the earliest failed step, which outranks a stop before a later batch", async () => {
    const { llm } = delayedModel(() => 2);
    const inner = createMemoryStepRunner();
    const failing = new Set(["a/batch-0", "a/batch-1"]);
    const { ctx } = testContext(llm, {
      steps: {
        run: (id, fn) =>
          inner.run(id, async () => {
            const value = await fn();
            if (failing.has(id)) throw new Error(`${id} failed`);
            return value;
          }),
        sleep: async () => {},
      },
      beforeBatch: (pending) => {
        if (pending > 0) throw new BudgetExhausted("calls");
      },
    });
    await expect(evaluateJobs(ctx, [job("a", items(20))])).rejects.toThrow("a/batch-0 failed");
  });

  it("judges a step's error budget on the totals when it started plus its own calls", async () => {
    const { llm } = delayedModel((item) => (item < 5 ? 4 : 0));
    const seen: number[] = [];
    const { ctx } = testContext(llm, { window: 2, checkStep: (usage) => seen.push(usage.calls) });
    await evaluateJobs(ctx, [job("a", items(15))]);
    // Two in flight: batch 1 starts with batch 0 in flight (totals 0); batch 2 after batch 0 was counted (totals 5).
    expect(seen).toEqual([5, 5, 10]);
  });

  it("reports progress per job in order, counting reused results", async () => {
    const { llm } = delayedModel();
    const { ctx, progress } = testContext(llm);
    await evaluateJobs(ctx, [job("a", items(6))]);
    progress.length = 0;
    await evaluateJobs(ctx, [job("b", items(3), "Other."), job("c", items(8))]);
    expect(progress).toEqual(["begin b 1 3", "+0", "+3", "begin c 1 8", "+6", "+2"]);
  });

  it("reports a job with nothing left to run as done", async () => {
    const { llm } = delayedModel();
    const { ctx, progress } = testContext(llm);
    await evaluateJobs(ctx, [job("a", items(4))]);
    progress.length = 0;
    expect(await evaluateJobs(ctx, [job("b", items(4))])).toEqual([
      { ids: items(4).map((e) => e.id), phases: Array(4).fill("a/results") },
    ]);
    expect(progress).toEqual(["begin b 1 4", "+4"]);
  });
});

describe("a batch's examples", () => {
  it("record a failed call as the example's error, with no usage and a measured latency, never scored", async () => {
    let scored = 0;
    const { llm } = delayedModel((item) => (item === 1 ? Promise.reject(new Error("HTTP 503")) : 0));
    const { ctx, recorder, steps, totals } = testContext(llm, {
      scorer: async (input, port) => {
        scored++;
        return exactScorer(input, port);
      },
    });
    await evaluateJobs(ctx, [job("a", items(3))]);
    const failed = recorder.phases.get("a/results")?.get("ex-1");
    expect(failed).toMatchObject({
      output: null,
      error: "HTTP 503",
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
      cached: false,
      score: 0,
      metrics: {},
    });
    expect(failed?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(failed?.latencyMs).toBeLessThan(1_000);
    expect(scored).toBe(2);
    expect((steps.results.get("a/batch-0") as { value: unknown }).value).toEqual({
      phase: "a/results",
      examples: 3,
      failed: 1,
    });
    expect(totals).toMatchObject({ calls: 3, failedCalls: 1 });
  });

  it("record a metric that throws as a scoring failure of that example only", async () => {
    const { ctx, recorder } = testContext(delayedModel().llm, {
      scorer: async ({ example }) => {
        if (example.id === "ex-2") throw new Error("no JSON in the expected output");
        return { score: 1, metrics: { m: { score: 1 } } };
      },
    });
    await evaluateJobs(ctx, [job("a", items(3))]);
    const rows = recorder.phases.get("a/results");
    expect(rows?.get("ex-2")).toMatchObject({
      output: "ok",
      score: 0,
      metrics: {},
      error: "scoring failed: no JSON in the expected output",
    });
    expect(rows?.get("ex-1")).toMatchObject({ score: 1, error: null });
  });
});

describe("evaluateJobs, more", () => {
  it("reports the first job at once, before its first batch finishes", async () => {
    const slow = gate();
    const { ctx, progress } = testContext(delayedModel(() => slow.opened).llm);
    const running = evaluateJobs(ctx, [job("a", items(3))]);
    await tick(5);
    expect(progress).toEqual(["begin a 1 3", "+0"]);
    slow.open();
    await running;
  });

  it("starts no batch after one failed", async () => {
    const { llm, stats } = delayedModel();
    const inner = createMemoryStepRunner();
    const { ctx } = testContext(llm, {
      window: 1,
      steps: {
        run: (id, fn) =>
          id === "a/batch-0" ? Promise.reject(new Error("the disk is full")) : inner.run(id, fn),
        sleep: async () => {},
      },
    });
    await expect(evaluateJobs(ctx, [job("a", items(20))])).rejects.toThrow("the disk is full");
    expect(stats.calls).toBe(0);
    expect(inner.executed).toEqual([]);
  });

  it("finds where a prompt's results are only when every example has one", async () => {
    const { ctx } = testContext(delayedModel().llm);
    await evaluateJobs(ctx, [job("a", items(4))]);
    expect(ctx.known.refOf(prompt(), items(4))).toEqual({
      ids: items(4).map((e) => e.id),
      phases: Array(4).fill("a/results"),
    });
    expect(ctx.known.refOf(prompt(), items(5))).toBeNull();
    expect(ctx.known.refOf(prompt("Never seen."), items(1))).toBeNull();
    expect(ctx.known.refOf(prompt("Never seen."), [])).toEqual({ ids: [], phases: [] });
  });
});

describe("readResults", () => {
  it("reads each phase once and fails naming an example without a result", async () => {
    const recorder = createMemoryRecorder();
    const reads: string[] = [];
    const spy = {
      ...recorder,
      read: (phase: string, ids: readonly string[]) => {
        reads.push(phase);
        return recorder.read(phase, ids);
      },
    };
    const { llm } = delayedModel();
    const { ctx } = testContext(llm, { recorder: spy });
    await evaluateJobs(ctx, [job("a", items(3)), job("b", items(3), "Other.")]);
    const ref = { ids: ["ex-0", "ex-1", "ex-2"], phases: ["a/results", "b/results", "a/results"] };
    expect((await readResults(spy, ref)).map((r) => r.exampleId)).toEqual(["ex-0", "ex-1", "ex-2"]);
    expect(reads).toEqual(["a/results", "b/results"]);
    await expect(readResults(spy, { ids: ["ex-7"], phases: ["a/results"] })).rejects.toThrow(
      'no recorded result for example "ex-7" in phase "a/results"',
    );
  });
});

describe("meteredStep", () => {
  it("checks the budget with nothing in flight, and counts the usage of a replayed step too", async () => {
    const { llm, stats } = delayedModel();
    const first = testContext(llm);
    const call = (l: typeof llm) =>
      l.generate({ model: "m", messages: [{ role: "user", content: "item 1" }] });
    expect(await meteredStep(first.ctx, "one", async (l) => (await call(l)).text)).toBe("ok");
    expect(first.checks).toEqual([0]);
    const replay = testContext(llm, { steps: createMemoryStepRunner(first.steps.results) });
    expect(await meteredStep(replay.ctx, "one", async (l) => (await call(l)).text)).toBe("ok");
    expect(stats.calls).toBe(1);
    expect(replay.totals).toEqual(first.totals);
  });
});
