// Test support: an EvaluationContext over a given model, with memory steps and recorder, and every
// budget check and progress event kept for the test to look at.
import { type EvaluationContext, ResultIndex, type Scorer } from "../evaluate";
import { createMemoryRecorder } from "../memory-recorder";
import { createMemoryStepRunner } from "../memory-steps";
import { addUsage, emptyUsage } from "../meter";
import type { LlmPort } from "../ports";
import type { Example, PromptState } from "../types";

export const exactScorer: Scorer = async ({ output, expected }) => {
  const score = output.trim() === expected ? 1 : 0;
  return { score, metrics: { exact_match: { score } } };
};

export const prompt = (systemPrompt = "Answer."): PromptState => ({
  systemPrompt,
  outputPrompt: "Item: {{item}}",
  demos: [],
  params: {},
});

export const items = (count: number, from = 0): Example[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `ex-${from + i}`,
    input: { item: `item ${from + i}` },
    expected: "ok",
  }));

/** A model answering "ok" after `delay(item number)` ms (0: at once), counting calls in flight. */
export function delayedModel(delay: (item: number) => number | Promise<void> = () => 0) {
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0, started: [] as number[] };
  const llm: LlmPort = {
    async generate(request) {
      const item = Number(/item (\d+)/.exec(request.messages.at(-1)?.content ?? "")?.[1]);
      stats.calls++;
      stats.started.push(item);
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      const wait = delay(item);
      if (typeof wait === "number") {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      } else await wait;
      stats.inFlight--;
      return {
        text: "ok",
        usage: { inputTokens: 10, outputTokens: 1 },
        latencyMs: 0,
        costUsd: 0.001,
        cached: false,
      };
    },
    async embed() {
      throw new Error("not used");
    },
  };
  return { llm, stats };
}

export function testContext(llm: LlmPort, overrides: Partial<EvaluationContext> = {}) {
  const totals = emptyUsage();
  const checks: number[] = [];
  const progress: string[] = [];
  const steps = createMemoryStepRunner();
  const recorder = createMemoryRecorder();
  const ctx: EvaluationContext = {
    llm,
    steps,
    recorder,
    model: { id: "fake:task", concurrency: 4 },
    scorer: exactScorer,
    batchSize: 5,
    callsPerExample: 1,
    known: new ResultIndex(),
    beforeBatch: (pending) => {
      checks.push(pending);
    },
    onUsage: (usage) => addUsage(totals, usage),
    totals,
    progress: {
      begin: (step, iteration, total) => progress.push(`begin ${step} ${iteration} ${total}`),
      advance: (count) => progress.push(`+${count}`),
    },
    ...overrides,
  };
  return { ctx, totals, checks, progress, steps, recorder };
}
