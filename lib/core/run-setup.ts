// Before the loop: the start step, the seeded train / validation / test split (or k folds), and which
// examples each iteration trains and validates on.
import type { Clock, StepRunner } from "./ports";
import { createRandom, sample } from "./random";
import type { OptimizationReport } from "./report";
import { kFolds, type Splits, splitExamples } from "./splits";
import { START_STEP } from "./step-ids";
import type { Example } from "./types";

/**
 * The version of the step ids and of what steps return. Version 1 (before steps returned counts only)
 * stored per-example outputs in its steps: its unfinished runs cannot be resumed by this code.
 */
export const STEP_SCHEME = 2;

/** The start step: when the run began (so elapsed time survives a resume), and its steps' scheme. */
export async function startRun(steps: StepRunner, clock: Clock): Promise<number> {
  // A version-1 start step holds a bare number: it has no scheme.
  const start = await steps.run<{ startedAt: number; scheme?: number }>(START_STEP, async () => ({
    startedAt: clock.now(),
    scheme: STEP_SCHEME,
  }));
  if (start.scheme !== STEP_SCHEME) {
    throw new Error(
      "this run's finished steps were stored by an earlier version of Strop, which this one cannot resume: start the run again",
    );
  }
  return start.startedAt;
}

export interface SplitSettings {
  validation: number;
  test: number;
  minibatch?: number;
  folds?: number;
  /** Seed of the split (default: the run's seed). */
  seed?: number;
}

export interface RunSplits extends Splits {
  /** Cross-validation mode: the examples outside the test split in k folds. */
  folds: Example[][] | null;
}

export function prepareSplits(
  examples: readonly Example[],
  settings: SplitSettings,
  seed: number,
): RunSplits {
  const splits = splitExamples(examples, settings, settings.seed ?? seed);
  const folds = settings.folds ? kFolds([...splits.train, ...splits.validation], settings.folds, seed) : null;
  return { ...splits, folds };
}

export interface IterationExamples {
  train: Example[];
  validation: Example[];
  /** What the incumbent and candidates are scored on: a seeded minibatch of `train`, or all of it. */
  minibatch: Example[];
}

/** Iteration i validates on fold (i-1) mod k and trains on the others; else the fixed splits. */
export function iterationExamples(
  splits: RunSplits,
  settings: SplitSettings,
  seed: number,
  iteration: number,
): IterationExamples {
  const { folds } = splits;
  const fold = folds?.[(iteration - 1) % folds.length];
  const train = fold ? (folds as Example[][]).filter((f) => f !== fold).flat() : splits.train;
  const minibatch = settings.minibatch
    ? sample(train, settings.minibatch, createRandom(`minibatch:${seed}:${iteration}`))
    : train;
  return { train, validation: fold ?? splits.validation, minibatch };
}

/** The split sizes the report gives. */
export function reportedSplits(splits: RunSplits): OptimizationReport["splits"] {
  const { folds } = splits;
  return {
    train: folds ? splits.train.length + splits.validation.length : splits.train.length,
    validation: folds ? 0 : splits.validation.length,
    test: splits.test.length,
    folds: folds?.length ?? null,
  };
}
