// One iteration of the loop, as its five steps: (1) primary inference and (2) baseline evaluation of the
// incumbent, (3) the optimizer's proposals and (4) refined inference of the candidates — both driven by
// the strategy through its SearchPort — and (5) comparative evaluation on validation with acceptance.
import { type AcceptanceSettings, acceptOnValidation } from "./acceptance";
import { type EvaluationContext, evaluateJobs, type ResultRef, readResults } from "./evaluate";
import { diffUsage, type Usage } from "./meter";
import type { OptimizerStrategy, TriedPrompt } from "./optimizer";
import type { CandidateRecord, IterationRecord, OptimizationReport, StopReason } from "./report";
import { iterationExamples, type RunSplits, type SplitSettings } from "./run-setup";
import { IterationSearch } from "./search";
import { iterationSteps, PHASES, PROGRESS_STEPS } from "./step-ids";
import { type StopSettings, staleCount, stopAfterIteration, targetReached } from "./stop-rules";
import { type IncumbentSummary, summarizeIncumbent } from "./summaries";
import type { PromptState } from "./types";

/** What the loop carries from one iteration to the next. */
export interface LoopState {
  incumbent: PromptState;
  /** The incumbent's mean on validation (as of its last scoring there). */
  incumbentValidation: number;
  /** The baseline's validation mean, from the first iteration. */
  baselineValidation: number | null;
  bestOrigin: OptimizationReport["bestOrigin"];
  /** Iterations in a row without an accepted candidate. */
  stale: number;
  history: TriedPrompt[];
  /** Keys of every prompt tried (the baseline included): a repeat is rejected, never scored again. */
  tried: Set<string>;
  /** The strategy's own search state. */
  search: unknown;
  iterations: IterationRecord[];
}

export interface IterationSettings {
  seed: number;
  candidates: number;
  failures: number;
  splits: SplitSettings;
  acceptance: AcceptanceSettings;
  stop: StopSettings;
  optimizerModel: { id: string };
}

export interface LoopContext {
  settings: IterationSettings;
  splits: RunSplits;
  variables: string[];
  evaluation: EvaluationContext;
  strategy: OptimizerStrategy;
  strategyOptions: unknown;
  recordIteration: (record: IterationRecord) => Promise<void>;
  /** The run's totals (for the iteration's usage). */
  totals: Usage;
  signal?: AbortSignal;
}

/** Steps 1 and 2: the incumbent on the minibatch and on validation, then its summary. */
async function evaluateIncumbent(loop: LoopContext, state: LoopState, iteration: number) {
  const { evaluation, settings } = loop;
  const steps = iterationSteps(iteration);
  const examples = iterationExamples(loop.splits, settings.splits, settings.seed, iteration);
  const [train, validation] = (await evaluateJobs(evaluation, [
    {
      prompt: state.incumbent,
      examples: examples.minibatch,
      phase: PHASES.incumbent(iteration, "train"),
      split: "train",
      step: steps.primaryInference,
      progress: { step: PROGRESS_STEPS.primaryInference, iteration },
    },
    {
      prompt: state.incumbent,
      examples: examples.validation,
      phase: PHASES.incumbent(iteration, "validation"),
      split: "validation",
      step: steps.baselineValidation,
      progress: { step: PROGRESS_STEPS.baselineEvaluation, iteration },
    },
  ])) as [ResultRef, ResultRef];
  const summary = await evaluation.steps.run<IncumbentSummary>(steps.baselineSummary, async () =>
    summarizeIncumbent(
      await readResults(evaluation.recorder, train),
      await readResults(evaluation.recorder, validation),
      { seed: settings.seed, iteration, failures: settings.failures },
    ),
  );
  return { examples, refs: { train, validation }, summary };
}

/** Runs iteration `iteration` and updates `state`; returns why the loop stops, or null to go on. */
export async function runIteration(
  loop: LoopContext,
  state: LoopState,
  iteration: number,
): Promise<StopReason | null> {
  const { settings, evaluation } = loop;
  const usageBefore = { ...loop.totals };
  const { examples, refs, summary } = await evaluateIncumbent(loop, state, iteration);
  state.incumbentValidation = summary.validation;
  state.baselineValidation ??= summary.validation;
  if (targetReached(settings.stop, summary.validation)) return "target_reached";
  if (summary.failures.length === 0) return "no_failures";

  // Steps 3 and 4: the strategy proposes candidates and has them scored on training examples.
  const search = new IterationSearch({
    iteration,
    seed: settings.seed,
    k: settings.candidates,
    incumbent: state.incumbent,
    variables: loop.variables,
    history: state.history,
    train: examples.train,
    minibatch: examples.minibatch,
    incumbentTrain: summary.train,
    incumbentTrainRef: refs.train,
    failureIds: summary.failures,
    failureLimit: settings.failures,
    tried: state.tried,
    evaluation,
    optimizer: { model: settings.optimizerModel.id, signal: loop.signal },
  });
  const outcome = await loop.strategy.iterate(search, state.search, loop.strategyOptions);

  // Step 5: comparative evaluation of the contenders on validation, and acceptance.
  const { winner, incumbentMeasures } = await acceptOnValidation(evaluation, {
    iteration,
    seed: settings.seed,
    acceptance: settings.acceptance,
    candidates: search.candidates,
    contenders: outcome.contenders,
    validation: examples.validation,
    incumbentValidation: refs.validation,
    incumbentPrompt: state.incumbent,
  });
  state.search = outcome.state;
  state.history.push(...triedPrompts(iteration, search.candidates, winner));
  const record: IterationRecord = {
    index: iteration,
    trainExamples: examples.minibatch.length,
    validationExamples: examples.validation.length,
    incumbentTrain: summary.train.score,
    incumbentValidation: summary.validation,
    candidates: search.candidates,
    accepted: winner?.index ?? null,
    rejectedProposals: search.rejectedProposals,
    usage: diffUsage(loop.totals, usageBefore),
    ...(incumbentMeasures ? { incumbentMeasures } : {}),
  };
  state.iterations.push(record);
  await loop.recordIteration(record);

  if (winner) {
    state.incumbent = winner.prompt;
    state.incumbentValidation = winner.validationScore ?? state.incumbentValidation;
    state.bestOrigin = { iteration, candidate: winner.index };
  }
  state.stale = staleCount(state.stale, winner !== undefined);
  return stopAfterIteration(settings.stop, state.stale, state.incumbentValidation);
}

/** The history entries of an iteration's scored candidates. */
function triedPrompts(
  iteration: number,
  candidates: readonly CandidateRecord[],
  winner: CandidateRecord | undefined,
): TriedPrompt[] {
  return candidates
    .filter((c) => c.status === "evaluated")
    .map((c) => ({
      iteration,
      prompt: c.prompt,
      rationale: c.rationale,
      trainScore: c.trainScore ?? 0,
      validationScore: c.validationScore,
      accepted: c === winner,
    }));
}
