// The optimization loop: setup (splits, budgets, the step plan), iterations of five steps until a stop
// rule fires (lib/core/iteration.ts), then the held-out verdict (lib/core/final-test.ts).
import { createBudgetGuard } from "./budget-guard";
import { type EvaluationContext, ResultIndex, type Scorer } from "./evaluate";
import { compareOnTest } from "./final-test";
import { type IterationSettings, type LoopContext, type LoopState, runIteration } from "./iteration";
import {
  addUsage,
  type Budget,
  BudgetExhausted,
  type ErrorBudget,
  emptyUsage,
  errorBudgetCheck,
} from "./meter";
import type { OptimizerStrategy } from "./optimizer";
import type { Clock, LlmPort, ProgressSink, StepRunner } from "./ports";
import { ProgressTracker } from "./progress";
import { promptKey, promptVariables } from "./prompt";
import type { RunRecorder } from "./recorder";
import type { OptimizationReport, StopReason } from "./report";
import { prepareSplits, reportedSplits, startRun } from "./run-setup";
import { planOptimizationSteps } from "./step-plan";
import type { Example, PromptState } from "./types";

export type { RunRecorder, Split } from "./recorder";

export interface OptimizationSettings extends IterationSettings {
  prompt: PromptState;
  taskModel: { id: string; concurrency: number };
  budget: Budget;
  /** Failed provider calls tolerated before the run fails; none: failed calls never fail the run. */
  errorBudget?: ErrorBudget;
  /** The strategy's options (`optimizer.options`), checked by its schema; default: its defaults. */
  optimizerOptions?: Record<string, unknown>;
  /** Examples per durable step; default: from the step plan (lib/core/step-plan.ts). */
  batchSize?: number;
  /** Batch steps in flight at once (default DEFAULT_WINDOW of ./evaluate). */
  pipelineWindow?: number;
  /** LLM calls one scoring makes (LLM-judged metrics); sizes the budget kept for the final test. */
  scoringCallsPerExample?: number;
}

export interface WorkflowDeps {
  llm: LlmPort;
  steps: StepRunner;
  clock: Clock;
  scorer: Scorer;
  optimizer: OptimizerStrategy;
  /** Where per-example results are stored and read back from (steps return counts only). */
  recorder: RunRecorder;
  progress?: ProgressSink;
  signal?: AbortSignal;
}

export async function runOptimization(
  settings: OptimizationSettings,
  examples: readonly Example[],
  deps: WorkflowDeps,
): Promise<OptimizationReport> {
  const startedAt = await startRun(deps.steps, deps.clock);
  const elapsed = () => deps.clock.now() - startedAt;
  const splits = prepareSplits(examples, settings.splits, settings.seed);
  const totals = emptyUsage();
  const progress = new ProgressTracker(deps.clock, startedAt, totals, deps.progress);
  const callsPerExample = 1 + (settings.scoringCallsPerExample ?? 0);
  const strategyOptions = deps.optimizer.options.parse(settings.optimizerOptions ?? {});
  const batchSize =
    settings.batchSize ??
    planOptimizationSteps(settings, examples.length, { search: deps.optimizer.plan?.(strategyOptions) })
      .batchSize;
  // The loop stops early enough to leave budget for scoring baseline and best on the test split. The
  // guard lets one batch start past what it counts, so the reserve holds that batch too: otherwise a
  // loop stopped by the budget leaves the test a batch short, and no test example is scored.
  const guard = createBudgetGuard(settings.budget, {
    totals,
    elapsedMs: elapsed,
    reservedCalls: (2 * splits.test.length + batchSize) * callsPerExample,
    signal: deps.signal,
  });
  const evaluation: EvaluationContext = {
    llm: deps.llm,
    steps: deps.steps,
    recorder: deps.recorder,
    model: settings.taskModel,
    scorer: deps.scorer,
    batchSize,
    window: settings.pipelineWindow,
    callsPerExample,
    known: new ResultIndex(),
    beforeBatch: (pending) => guard.check(pending),
    onUsage: (usage) => addUsage(totals, usage),
    totals,
    checkStep: errorBudgetCheck(settings.errorBudget),
    progress,
    signal: deps.signal,
  };
  const loop: LoopContext = {
    settings,
    splits,
    variables: promptVariables(settings.prompt),
    evaluation,
    strategy: deps.optimizer,
    strategyOptions,
    recordIteration: (record) => deps.recorder.iteration(record),
    totals,
    signal: deps.signal,
  };
  const state: LoopState = {
    incumbent: settings.prompt,
    incumbentValidation: 0,
    baselineValidation: null,
    bestOrigin: null,
    stale: 0,
    history: [],
    tried: new Set([promptKey(settings.prompt)]),
    search: deps.optimizer.init(strategyOptions),
    iterations: [],
  };

  let stopReason: StopReason = "max_iterations";
  try {
    for (let iteration = 1; iteration <= settings.stop.maxIterations; iteration++) {
      const reason = await runIteration(loop, state, iteration);
      if (reason) {
        stopReason = reason;
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    stopReason = `budget_${error.kind}`;
  }

  guard.releaseReserve();
  const test = await compareOnTest(evaluation, {
    test: splits.test,
    baseline: settings.prompt,
    best: state.incumbent,
    seed: settings.seed,
    bootstrapSamples: settings.acceptance.bootstrapSamples,
  });
  return {
    stopReason,
    iterations: state.iterations,
    baseline: settings.prompt,
    best: state.incumbent,
    bestOrigin: state.bestOrigin,
    splits: reportedSplits(splits),
    validation: { baseline: state.baselineValidation ?? 0, best: state.incumbentValidation },
    test,
    usage: { ...totals },
    elapsedMs: elapsed(),
  };
}
