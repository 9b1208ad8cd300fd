// After the loop: baseline and best on the held-out test split, which no decision of the loop saw. The
// test examples go in chunks, each scored by both prompts, so a budget that runs out mid-way still
// leaves a paired comparison on the chunks both prompts finished.
import {
  type EvaluationContext,
  type EvaluationJob,
  evaluateJobs,
  type ResultRef,
  readResults,
} from "./evaluate";
import { BudgetExhausted } from "./meter";
import { promptKey } from "./prompt";
import type { OptimizationReport } from "./report";
import { FINAL_TEST_STEPS, PHASES, PROGRESS_STEPS } from "./step-ids";
import { testVerdict } from "./summaries";
import type { Example, PromptState } from "./types";

/** Test examples per chunk: at least 50, and whole batches when batches are larger. */
export const testChunkSize = (batchSize: number) => Math.max(50, batchSize);

export interface FinalTestInput {
  test: readonly Example[];
  baseline: PromptState;
  best: PromptState;
  seed: number;
  bootstrapSamples: number;
}

export async function compareOnTest(
  ctx: EvaluationContext,
  input: FinalTestInput,
): Promise<OptimizationReport["test"]> {
  const { test, baseline, best } = input;
  const same = promptKey(baseline) === promptKey(best);
  const size = testChunkSize(ctx.batchSize);
  const chunks: Example[][] = [];
  for (let start = 0; start < test.length; start += size) chunks.push(test.slice(start, start + size));
  const job = (chunk: number, which: "baseline" | "best"): EvaluationJob => ({
    prompt: which === "baseline" ? baseline : best,
    examples: chunks[chunk] as Example[],
    phase: which === "baseline" ? PHASES.finalTestBaseline : PHASES.finalTestBest,
    split: "test",
    step: FINAL_TEST_STEPS.batch(chunk, which),
    progress: {
      step: which === "baseline" ? PROGRESS_STEPS.finalTestBaseline : PROGRESS_STEPS.finalTestBest,
      iteration: 0,
    },
  });
  const jobs = chunks.flatMap((_, k) => (same ? [job(k, "baseline")] : [job(k, "baseline"), job(k, "best")]));
  let complete = true;
  try {
    await evaluateJobs(ctx, jobs);
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    complete = false;
  }
  // The chunks both prompts finished (all of them, unless the budget ran out).
  const finished: { baseline: ResultRef; best: ResultRef }[] = [];
  for (const chunk of chunks) {
    const [a, b] = [ctx.known.refOf(baseline, chunk), ctx.known.refOf(best, chunk)];
    if (!a || !b) break;
    finished.push({ baseline: a, best: b });
  }
  const joined = (refs: ResultRef[]): ResultRef => ({
    ids: refs.flatMap((r) => r.ids),
    phases: refs.flatMap((r) => r.phases),
  });
  return ctx.steps.run(FINAL_TEST_STEPS.summary, async () =>
    testVerdict(
      await readResults(ctx.recorder, joined(finished.map((f) => f.baseline))),
      await readResults(ctx.recorder, joined(finished.map((f) => f.best))),
      { seed: input.seed, samples: input.bootstrapSamples, complete },
    ),
  );
}
