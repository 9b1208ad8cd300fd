// Scoring one prompt on a set of examples (`strop eval`), with the same batching and accounting.
import { type EvaluationContext, evaluatePrompt, metricMeans, type Scorer } from "./evaluate";
import { addUsage, type ErrorBudget, emptyUsage, errorBudgetCheck, type Usage } from "./meter";
import type { Clock, LlmPort, ProgressSink, StepRunner } from "./ports";
import { ProgressTracker } from "./progress";
import { bootstrapInterval } from "./stats";
import type { Example, Interval, PromptState, ScoredExample } from "./types";

export interface EvaluationSettings {
  prompt: PromptState;
  taskModel: { id: string; concurrency: number };
  seed: number;
  batchSize?: number;
  /** Failed provider calls tolerated before the evaluation fails; none: never. */
  errorBudget?: ErrorBudget;
}

export interface EvaluationDeps {
  llm: LlmPort;
  steps: StepRunner;
  clock: Clock;
  scorer: Scorer;
  progress?: ProgressSink;
  onResults?: (results: ScoredExample[]) => Promise<void>;
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
  const startedAt = await deps.steps.run("start", async () => deps.clock.now());
  const totals = emptyUsage();
  const progress = new ProgressTracker(deps.clock, startedAt, totals, deps.progress);
  const ctx: EvaluationContext = {
    llm: deps.llm,
    steps: deps.steps,
    model: settings.taskModel,
    scorer: deps.scorer,
    batchSize: settings.batchSize ?? Math.max(20, settings.taskModel.concurrency * 2),
    cache: new Map(),
    beforeBatch: () => {
      if (deps.signal?.aborted) throw deps.signal.reason ?? new Error("cancelled");
    },
    onUsage: (usage) => addUsage(totals, usage),
    checkStep: errorBudgetCheck(settings.errorBudget, totals),
    onBatch: (_, count) => progress.advance(count),
    signal: deps.signal,
  };
  progress.begin("evaluation", 0, examples.length);
  const results = await evaluatePrompt(
    ctx,
    { inference: "eval/inference", scoring: "eval/scoring" },
    settings.prompt,
    examples,
  );
  await deps.onResults?.(results);
  return {
    score: bootstrapInterval(
      results.map((r) => r.score),
      { seed: settings.seed },
    ),
    metrics: metricMeans(results),
    failed: results.filter((r) => r.error !== null).length,
    usage: totals,
    elapsedMs: deps.clock.now() - startedAt,
  };
}
