// `strop eval` and eval runs: one prompt on every example, in pipelined batch steps, results recorded
// under "eval/all", the report computed in a summary step.
import { describe, expect, it } from "vitest";
import { runEvaluation } from "./evaluation";
import { createMemoryRecorder } from "./memory-recorder";
import { createMemoryStepRunner } from "./memory-steps";
import { ErrorBudgetExceeded } from "./meter";
import { LlmError, type LlmPort, type Progress } from "./ports";
import { delayedModel, exactScorer, items, prompt } from "./testing/evaluation-context";

const settings = { prompt: prompt(), taskModel: { id: "fake:task", concurrency: 4 }, seed: 3, batchSize: 10 };

/** Right on even items, wrong on odd ones, failing on multiples of 7 when `failing`. */
function halfRight(failing = false): LlmPort & { calls: number } {
  const port = {
    calls: 0,
    async generate(request: { messages: { content: string }[] }) {
      port.calls++;
      const item = Number(/item (\d+)/.exec(request.messages.at(-1)?.content ?? "")?.[1]);
      if (failing && item % 7 === 0) throw new LlmError("overloaded", true, 503);
      return {
        text: item % 2 ? "no" : "ok",
        usage: { inputTokens: 3, outputTokens: 1 },
        latencyMs: 0,
        costUsd: 0.01,
        cached: false,
      };
    },
    async embed(): Promise<never> {
      throw new Error("unused");
    },
  };
  return port as LlmPort & { calls: number };
}

function run(
  llm: LlmPort,
  options: {
    steps?: ReturnType<typeof createMemoryStepRunner>;
    signal?: AbortSignal;
    errorBudget?: { maxFailedFraction: number; minCalls: number };
  } = {},
) {
  const steps = options.steps ?? createMemoryStepRunner();
  const recorder = createMemoryRecorder();
  const progress: Progress[] = [];
  let now = 100;
  return runEvaluation({ ...settings, errorBudget: options.errorBudget }, items(25), {
    llm,
    steps,
    clock: { now: () => (now += 10) },
    scorer: exactScorer,
    recorder,
    progress: (p) => progress.push(p),
    signal: options.signal,
  }).then((report) => ({ report, steps, recorder, progress }));
}

describe("runEvaluation", () => {
  it("scores every example in batch steps, records them under eval/all and reports from a summary step", async () => {
    const { report, steps, recorder, progress } = await run(halfRight(true));
    expect(steps.executed.sort()).toEqual([
      "eval/batch-0",
      "eval/batch-1",
      "eval/batch-2",
      "eval/summary",
      "start",
    ]);
    expect(recorder.phases.get("eval/all")?.size).toBe(25);
    expect(recorder.splits.get("eval/all")).toBe("all");
    // 13 even items, 4 of them multiples of 7 (0, 14 are even; 7, 21 odd): 11 right, 4 failed calls.
    expect(report.score).toMatchObject({ mean: 11 / 25, n: 25 });
    expect(report.score.low).toBeLessThan(report.score.mean);
    expect(report.failed).toBe(4);
    expect(report.metrics).toEqual({ exact_match: 11 / 21 });
    expect(report.usage).toMatchObject({ calls: 25, failedCalls: 4, inputTokens: 63, outputTokens: 21 });
    expect(report.usage.costUsd).toBeCloseTo(0.21);
    expect(report.elapsedMs).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ step: "evaluation", iteration: 0, done: 0, total: 25 });
    expect(progress.at(-1)).toMatchObject({ step: "evaluation", done: 25, total: 25, calls: 25 });
  });

  it("replays its finished steps without calling the model, to the same report", async () => {
    const first = await run(halfRight());
    const again = halfRight();
    const replay = await runEvaluation(settings, items(25), {
      llm: again,
      steps: createMemoryStepRunner(first.steps.results),
      clock: { now: () => 0 },
      scorer: exactScorer,
      recorder: first.recorder,
    });
    expect(again.calls).toBe(0);
    expect({ ...replay, elapsedMs: 0 }).toEqual({ ...first.report, elapsedMs: 0 });
  });

  it("fails on its error budget, and stops when cancelled", async () => {
    const down = delayedModel(() => Promise.reject(new LlmError("down", false, 500)));
    await expect(
      run(down.llm, { errorBudget: { maxFailedFraction: 0.5, minCalls: 10 } }),
    ).rejects.toBeInstanceOf(ErrorBudgetExceeded);
    const controller = new AbortController();
    controller.abort(new Error("cancelled by a user"));
    await expect(run(halfRight(), { signal: controller.signal })).rejects.toThrow("cancelled by a user");
    const stopped = new AbortController();
    stopped.abort();
    await expect(run(halfRight(), { signal: stopped.signal })).rejects.toThrow();
  });

  it("seeds its interval by the run's seed and measures its time by the clock", async () => {
    const evaluate = (seed: number) =>
      runEvaluation({ ...settings, seed }, items(25), {
        llm: halfRight(),
        steps: createMemoryStepRunner(),
        clock: { now: () => 500 },
        scorer: async ({ example }) => ({ score: (Number(example.id.slice(3)) % 7) / 7, metrics: {} }),
        recorder: createMemoryRecorder(),
      });
    const [a, b] = [await evaluate(3), await evaluate(4)];
    expect(a.score.mean).toBe(b.score.mean);
    expect([a.score.low, a.score.high]).not.toEqual([b.score.low, b.score.high]);
    expect(a.elapsedMs).toBe(0);
  });

  it("takes its batch size from the step plan by default", async () => {
    const steps = createMemoryStepRunner();
    await runEvaluation(
      { prompt: prompt(), taskModel: { id: "fake:task", concurrency: 4 }, seed: 1 },
      items(45),
      {
        llm: halfRight(),
        steps,
        clock: { now: () => 0 },
        scorer: exactScorer,
        recorder: createMemoryRecorder(),
      },
    );
    expect(steps.executed.filter((id) => id.startsWith("eval/batch-")).sort()).toEqual([
      "eval/batch-0",
      "eval/batch-1",
      "eval/batch-2",
    ]);
  });
});

describe("the scorer", () => {
  it("gets the evaluation's signal, so a cancel aborts metric calls in flight too", async () => {
    const seen = new Set<AbortSignal | undefined>();
    const controller = new AbortController();
    await runEvaluation(settings, items(5), {
      llm: halfRight(),
      steps: createMemoryStepRunner(),
      clock: { now: () => 0 },
      scorer: async (input, llm, signal) => {
        seen.add(signal);
        return exactScorer(input, llm, signal);
      },
      recorder: createMemoryRecorder(),
      signal: controller.signal,
    });
    expect([...seen]).toEqual([controller.signal]);
  });
});
