// Scoring one prompt on a set of examples (`strop eval`, eval runs), with the same pipelined batches,
// recorder and accounting as the optimization loop.
import {
  type EvaluationContext,
  evaluateJobs,
  metricMeans,
  ResultIndex,
  type ResultRef,
  readResults,
  type Scorer,
} from "./evaluate";
import { addUsage, type ErrorBudget, emptyUsage, errorBudgetCheck, type Usage } from "./meter";
import type { Clock, LlmPort, ProgressSink, StepRunner } from "./ports";
import { ProgressTracker } from "./progress";
import type { ResultStore } from "./recorder";
import { startRun } from "./run-setup";
import { bootstrapInterval } from "./stats";
import { EVAL_STEPS, PHASES, PROGRESS_STEPS } from "./step-ids";
import { planEvaluationSteps } from "./step-plan";
import type { Example, Interval, PromptState } from "./types";

export interface EvaluationSettings {
  prompt: PromptState;
  taskModel: { id: string; concurrency: number };
  seed: number;
  /** Examples per durable step; default: from the step plan. */
  batchSize?: number;
  /** Batch steps in flight at once (default DEFAULT_WINDOW of ./evaluate). */
  pipelineWindow?: number;
  /** Failed provider calls tolerated before the evaluation fails; none: never. */
  errorBudget?: ErrorBudget;
}

export interface EvaluationDeps {
  llm: LlmPort;
  steps: StepRunner;
  clock: Clock;
  scorer: Scorer;
  /** Where per-example results go (phase "eval/all"); the summary step reads them back. */
  recorder: ResultStore;
  progress?: ProgressSink;
  signal?: AbortSignal;
}

export interface EvaluationReport {
  score: Interval;
  metrics: Record<string, number>;
  failed: number;
  usage: Usage;
  elapsedMs: number;
}

export async function runEvaluation(
  settings: EvaluationSettings,
  examples: readonly Example[],
  deps: EvaluationDeps,
): Promise<EvaluationReport> {
  const startedAt = await startRun(deps.steps, deps.clock);
  const totals = emptyUsage();
  const ctx: EvaluationContext = {
    llm: deps.llm,
    steps: deps.steps,
    recorder: deps.recorder,
    model: settings.taskModel,
    scorer: deps.scorer,
    batchSize: settings.batchSize ?? planEvaluationSteps(settings, examples.length).batchSize,
    window: settings.pipelineWindow,
    callsPerExample: 1,
    known: new ResultIndex(),
    beforeBatch: () => {
      if (deps.signal?.aborted) throw deps.signal.reason;
    },
    onUsage: (usage) => addUsage(totals, usage),
    totals,
    checkStep: errorBudgetCheck(settings.errorBudget),
    progress: new ProgressTracker(deps.clock, startedAt, totals, deps.progress),
    signal: deps.signal,
  };
  const [ref] = await evaluateJobs(ctx, [
    {
      prompt: settings.prompt,
      examples,
      phase: PHASES.evaluation,
      split: "all",
      step: EVAL_STEPS.batch,
      progress: { step: PROGRESS_STEPS.evaluation, iteration: 0 },
    },
  ]);
  const summary = await deps.steps.run(EVAL_STEPS.summary, async () => {
    const results = await readResults(deps.recorder, ref as ResultRef);
    return {
      score: bootstrapInterval(
        results.map((r) => r.score),
        { seed: settings.seed },
      ),
      metrics: metricMeans(results),
      failed: results.filter((r) => r.error !== null).length,
    };
  });
  return { ...summary, usage: totals, elapsedMs: deps.clock.now() - startedAt };
}
