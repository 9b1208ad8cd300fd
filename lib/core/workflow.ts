// The optimization loop: the 5 steps per iteration, stop rules, budgets, and the held-out verdict.
import { type EvaluationContext, evaluatePrompt, meteredStep, metricMeans, type Scorer } from "./evaluate";
import {
  addUsage,
  type Budget,
  BudgetExhausted,
  type ErrorBudget,
  emptyUsage,
  errorBudgetCheck,
  exhaustedBudget,
  type Usage,
} from "./meter";
import type { OptimizerStrategy, Proposal, TriedPrompt } from "./optimizer";
import type { Clock, LlmPort, ProgressSink, StepRunner } from "./ports";
import { ProgressTracker } from "./progress";
import { promptKey, promptVariables } from "./prompt";
import { createRandom, hashString, sample } from "./random";
import type { CandidateRecord, IterationRecord, OptimizationReport, StopReason } from "./report";
import { kFolds, splitExamples } from "./splits";
import { bootstrapInterval, mean, pairedGainInterval } from "./stats";
import { templateVariables } from "./template";
import type { Example, PromptState, ScoredExample } from "./types";

export interface OptimizationSettings {
  prompt: PromptState;
  taskModel: { id: string; concurrency: number };
  optimizerModel: { id: string };
  /** Candidates proposed per iteration and failing examples shown to the optimizer. */
  candidates: number;
  failures: number;
  /** `seed`: of the train/validation/test split (default: the run's seed), e.g. a dataset version's. */
  splits: { validation: number; test: number; minibatch?: number; folds?: number; seed?: number };
  acceptance: { confidence: number; minGain: number; bootstrapSamples: number; validateTop: number };
  stop: { maxIterations: number; patience: number; targetScore?: number };
  budget: Budget;
  /** Failed provider calls tolerated before the run fails; none: failed calls never fail the run. */
  errorBudget?: ErrorBudget;
  seed: number;
  /** Examples per durable step. */
  batchSize?: number;
  /** LLM calls one scoring makes (LLM-judged metrics); sizes the budget kept for the final test. */
  scoringCallsPerExample?: number;
}

export type Split = "train" | "validation" | "test";

/** Persistence hooks. Called again with the same arguments when a run is replayed: make them idempotent. */
export interface RunRecorder {
  results(phase: string, split: Split, results: ScoredExample[]): Promise<void>;
  iteration(record: IterationRecord): Promise<void>;
}

export interface WorkflowDeps {
  llm: LlmPort;
  steps: StepRunner;
  clock: Clock;
  scorer: Scorer;
  optimizer: OptimizerStrategy;
  progress?: ProgressSink;
  recorder?: RunRecorder;
  signal?: AbortSignal;
}

const scores = (results: readonly ScoredExample[]) => results.map((r) => r.score);

function candidateProblem(prompt: PromptState, variables: string[], tried: Set<string>): string | null {
  const used = templateVariables(prompt.outputPrompt);
  const missing = variables.filter((v) => !used.includes(v));
  const unknown = used.filter((v) => !variables.includes(v));
  if (missing.length) return `drops template variable(s): ${missing.join(", ")}`;
  if (unknown.length) return `uses unknown variable(s): ${unknown.join(", ")}`;
  if (tried.has(promptKey(prompt))) return "repeats a prompt already tried";
  return null;
}

export async function runOptimization(
  settings: OptimizationSettings,
  examples: readonly Example[],
  deps: WorkflowDeps,
): Promise<OptimizationReport> {
  const { seed, acceptance, stop } = settings;
  const startedAt = await deps.steps.run("start", async () => deps.clock.now());
  const elapsed = () => deps.clock.now() - startedAt;
  const splits = splitExamples(examples, settings.splits, settings.splits.seed ?? seed);
  const folds = settings.splits.folds
    ? kFolds([...splits.train, ...splits.validation], settings.splits.folds, seed)
    : null;
  const variables = promptVariables(settings.prompt);
  const totals = emptyUsage();
  const progress = new ProgressTracker(deps.clock, startedAt, totals, deps.progress);

  // The loop stops early enough to leave budget for scoring baseline and best on the test split.
  const reservedCalls = 2 * splits.test.length * (1 + (settings.scoringCallsPerExample ?? 0));
  let finalPhase = false;
  const checkBudget = () => {
    if (deps.signal?.aborted) throw deps.signal.reason ?? new Error("cancelled");
    // Project what the reserved calls will cost from the average call so far.
    const share = finalPhase || totals.calls === 0 ? 0 : reservedCalls / totals.calls;
    const projected: Usage = {
      ...totals,
      calls: totals.calls + (finalPhase ? 0 : reservedCalls),
      inputTokens: totals.inputTokens * (1 + share),
      outputTokens: totals.outputTokens * (1 + share),
      costUsd: totals.costUsd * (1 + share),
    };
    const exhausted = exhaustedBudget(settings.budget, projected, elapsed() * (1 + share));
    if (exhausted) throw new BudgetExhausted(exhausted);
  };

  const ctx: EvaluationContext = {
    llm: deps.llm,
    steps: deps.steps,
    model: settings.taskModel,
    scorer: deps.scorer,
    batchSize: settings.batchSize ?? Math.max(20, settings.taskModel.concurrency * 2),
    cache: new Map(),
    beforeBatch: checkBudget,
    onUsage: (usage) => addUsage(totals, usage),
    checkStep: errorBudgetCheck(settings.errorBudget, totals),
    onBatch: (_, count) => progress.advance(count),
    signal: deps.signal,
  };
  const evaluate = async (
    phase: { step: string; iteration: number; record: string; split: Split },
    labels: { inference: string; scoring: string },
    prompt: PromptState,
    items: readonly Example[],
  ) => {
    progress.begin(phase.step, phase.iteration, items.length);
    const results = await evaluatePrompt(ctx, labels, prompt, items);
    await deps.recorder?.results(phase.record, phase.split, results);
    return results;
  };

  const baseline = settings.prompt;
  let incumbent = baseline;
  let bestOrigin: OptimizationReport["bestOrigin"] = null;
  const tried = new Set([promptKey(baseline)]);
  const history: TriedPrompt[] = [];
  const iterations: IterationRecord[] = [];
  let stopReason: StopReason = "max_iterations";
  let stale = 0;
  let baselineValidation: number | null = null;
  let incumbentValidation = 0;

  try {
    for (let iteration = 1; iteration <= stop.maxIterations; iteration++) {
      const usageBefore = { ...totals };
      const fold = folds ? folds[(iteration - 1) % folds.length]! : null;
      const train = fold ? folds!.filter((f) => f !== fold).flat() : splits.train;
      const validation = fold ?? splits.validation;
      const minibatch = settings.splits.minibatch
        ? sample(train, settings.splits.minibatch, createRandom(`minibatch:${seed}:${iteration}`))
        : train;
      const it = `iter-${iteration}`;

      // Steps 1 and 2: primary inference and baseline evaluation of the incumbent.
      const incumbentTrain = await evaluate(
        { step: "primary inference", iteration, record: `${it}/train/incumbent`, split: "train" },
        { inference: `${it}/primary-inference`, scoring: `${it}/baseline-evaluation` },
        incumbent,
        minibatch,
      );
      const incumbentVal = await evaluate(
        { step: "baseline evaluation", iteration, record: `${it}/validation/incumbent`, split: "validation" },
        {
          inference: `${it}/baseline-evaluation/validation-inference`,
          scoring: `${it}/baseline-evaluation/validation`,
        },
        incumbent,
        validation,
      );
      incumbentValidation = mean(scores(incumbentVal));
      baselineValidation ??= incumbentValidation;
      if (stop.targetScore !== undefined && incumbentValidation >= stop.targetScore) {
        stopReason = "target_reached";
        break;
      }
      const failures = incumbentTrain
        .map((result, i) => ({ result, example: minibatch[i]! }))
        .filter(({ result }) => result.score < 1)
        .sort((a, b) => a.result.score - b.result.score)
        .slice(0, settings.failures);
      if (failures.length === 0) {
        stopReason = "no_failures";
        break;
      }

      // Step 3: the optimizer proposes refined prompts from the failures.
      progress.begin("optimizer", iteration, 1);
      const trainInterval = bootstrapInterval(scores(incumbentTrain), {
        seed: hashString(`train:${seed}:${iteration}`),
      });
      const proposal: Proposal = await meteredStep(ctx, `${it}/optimizer`, (llm) =>
        deps.optimizer.propose(
          {
            iteration,
            k: settings.candidates,
            incumbent,
            variables,
            summary: {
              score: trainInterval,
              metrics: metricMeans(incumbentTrain),
              failed: incumbentTrain.filter((r) => r.error !== null).length,
            },
            failures: failures.map(({ result, example }) => ({
              exampleId: example.id,
              input: example.input,
              expected: example.expected,
              actual: result.output,
              error: result.error,
              score: result.score,
              metrics: result.metrics,
            })),
            history,
            trainExamples: train,
            random: createRandom(`optimizer:${seed}:${iteration}`),
          },
          { llm, model: settings.optimizerModel.id, signal: deps.signal },
        ),
      );
      progress.advance(1);

      // Steps 4 and 5: refined inference and comparative evaluation of each candidate.
      const candidates: CandidateRecord[] = [];
      for (const [index, candidate] of proposal.candidates.entries()) {
        const problem = candidateProblem(candidate.prompt, variables, tried);
        const record: CandidateRecord = {
          index,
          prompt: candidate.prompt,
          rationale: candidate.rationale,
          status: problem ? "rejected" : "evaluated",
          rejectReason: problem ?? undefined,
          trainScore: null,
          validationScore: null,
          gain: null,
          accepted: false,
        };
        candidates.push(record);
        if (problem) continue;
        tried.add(promptKey(candidate.prompt));
        const results = await evaluate(
          { step: "refined inference", iteration, record: `${it}/train/cand-${index}`, split: "train" },
          {
            inference: `${it}/refined-inference/cand-${index}`,
            scoring: `${it}/comparative-evaluation/cand-${index}`,
          },
          candidate.prompt,
          minibatch,
        );
        record.trainScore = mean(scores(results));
      }
      const incumbentTrainMean = mean(scores(incumbentTrain));
      const contenders = candidates
        .filter((c) => c.trainScore !== null && c.trainScore > incumbentTrainMean)
        .sort((a, b) => (b.trainScore ?? 0) - (a.trainScore ?? 0))
        .slice(0, acceptance.validateTop);
      for (const record of contenders) {
        const results = await evaluate(
          {
            step: "comparative evaluation",
            iteration,
            record: `${it}/validation/cand-${record.index}`,
            split: "validation",
          },
          {
            inference: `${it}/comparative-evaluation/cand-${record.index}/validation-inference`,
            scoring: `${it}/comparative-evaluation/cand-${record.index}/validation`,
          },
          record.prompt,
          validation,
        );
        record.validationScore = mean(scores(results));
        record.gain = pairedGainInterval(scores(incumbentVal), scores(results), {
          confidence: acceptance.confidence,
          samples: acceptance.bootstrapSamples,
          seed: hashString(`gain:${seed}:${iteration}:${record.index}`),
        });
      }
      const winner = contenders
        .filter((c) => c.gain !== null && c.gain.low > acceptance.minGain)
        .sort((a, b) => (b.gain?.mean ?? 0) - (a.gain?.mean ?? 0))[0];
      for (const c of candidates) {
        if (c.status !== "evaluated") continue;
        history.push({
          iteration,
          prompt: c.prompt,
          rationale: c.rationale,
          trainScore: c.trainScore ?? 0,
          validationScore: c.validationScore,
          accepted: c === winner,
        });
      }
      if (winner) winner.accepted = true;
      const record: IterationRecord = {
        index: iteration,
        trainExamples: minibatch.length,
        validationExamples: validation.length,
        incumbentTrain: trainInterval,
        incumbentValidation,
        candidates,
        accepted: winner?.index ?? null,
        rejectedProposals: proposal.rejected.map(({ reason }) => ({ reason })),
        usage: diffUsage(totals, usageBefore),
      };
      iterations.push(record);
      await deps.recorder?.iteration(record);

      if (winner) {
        incumbent = winner.prompt;
        incumbentValidation = winner.validationScore ?? incumbentValidation;
        bestOrigin = { iteration, candidate: winner.index };
        stale = 0;
      } else if (++stale >= stop.patience) {
        stopReason = "patience";
        break;
      }
      if (stop.targetScore !== undefined && incumbentValidation >= stop.targetScore) {
        stopReason = "target_reached";
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    stopReason = `budget_${error.kind}`;
  }

  finalPhase = true;
  const test = await compareOnTest(settings, splits.test, baseline, incumbent, evaluate);
  return {
    stopReason,
    iterations,
    baseline,
    best: incumbent,
    bestOrigin,
    splits: {
      train: folds ? splits.train.length + splits.validation.length : splits.train.length,
      validation: folds ? 0 : splits.validation.length,
      test: splits.test.length,
      folds: folds?.length ?? null,
    },
    validation: { baseline: baselineValidation ?? 0, best: incumbentValidation },
    test,
    usage: { ...totals },
    elapsedMs: elapsed(),
  };
}

type Evaluate = (
  phase: { step: string; iteration: number; record: string; split: Split },
  labels: { inference: string; scoring: string },
  prompt: PromptState,
  items: readonly Example[],
) => Promise<ScoredExample[]>;

/**
 * Baseline and best on the held-out test split, chunk by chunk so that a budget running out still
 * leaves a paired comparison on the examples both prompts were scored on.
 */
async function compareOnTest(
  settings: OptimizationSettings,
  test: readonly Example[],
  baseline: PromptState,
  best: PromptState,
  evaluate: Evaluate,
): Promise<OptimizationReport["test"]> {
  const same = promptKey(baseline) === promptKey(best);
  const baselineScores: number[] = [];
  const bestScores: number[] = [];
  const chunkSize = 50;
  let complete = true;
  try {
    for (let start = 0; start < test.length; start += chunkSize) {
      const items = test.slice(start, start + chunkSize);
      const chunk = `final/test/chunk-${start / chunkSize}`;
      const base = await evaluate(
        { step: "final test: baseline", iteration: 0, record: "final/test/baseline", split: "test" },
        { inference: `${chunk}/baseline/inference`, scoring: `${chunk}/baseline/scoring` },
        baseline,
        items,
      );
      const top = same
        ? base
        : await evaluate(
            { step: "final test: best", iteration: 0, record: "final/test/best", split: "test" },
            { inference: `${chunk}/best/inference`, scoring: `${chunk}/best/scoring` },
            best,
            items,
          );
      baselineScores.push(...scores(base));
      bestScores.push(...scores(top));
    }
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    complete = false;
  }
  const options = { confidence: 0.95, samples: settings.acceptance.bootstrapSamples };
  return {
    baseline: bootstrapInterval(baselineScores, {
      ...options,
      seed: hashString(`test-baseline:${settings.seed}`),
    }),
    best: bootstrapInterval(bestScores, { ...options, seed: hashString(`test-best:${settings.seed}`) }),
    gain: pairedGainInterval(baselineScores, bestScores, {
      ...options,
      seed: hashString(`test-gain:${settings.seed}`),
    }),
    complete,
  };
}

function diffUsage(after: Usage, before: Usage): Usage {
  return {
    calls: after.calls - before.calls,
    cachedCalls: after.cachedCalls - before.cachedCalls,
    failedCalls: after.failedCalls - before.failedCalls,
    inputTokens: after.inputTokens - before.inputTokens,
    outputTokens: after.outputTokens - before.outputTokens,
    costUsd: after.costUsd - before.costUsd,
  };
}
