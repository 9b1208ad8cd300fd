// Seeded train / validation / test splits and k folds.
import { createRandom, shuffle } from "./random";
import type { Example } from "./types";

export interface SplitSizes {
  validation: number;
  test: number;
}

export interface Splits {
  train: Example[];
  validation: Example[];
  test: Example[];
}

/** Sizes are fractions of the dataset; each split keeps at least one example. */
export function splitExamples(examples: readonly Example[], sizes: SplitSizes, seed: number): Splits {
  if (examples.length < 3)
    throw new Error(`a dataset needs at least 3 examples to split, got ${examples.length}`);
  const shuffled = shuffle(examples, createRandom(`split:${seed}`));
  const n = shuffled.length;
  const testCount = Math.max(1, Math.round(n * sizes.test));
  const validationCount = Math.max(1, Math.round(n * sizes.validation));
  if (testCount + validationCount >= n) throw new Error("validation and test leave no training examples");
  return {
    test: shuffled.slice(0, testCount),
    validation: shuffled.slice(testCount, testCount + validationCount),
    train: shuffled.slice(testCount + validationCount),
  };
}

/** Partition into k folds of near-equal size (seeded). */
export function kFolds(examples: readonly Example[], k: number, seed: number): Example[][] {
  if (k < 2 || k > examples.length) throw new Error(`cannot make ${k} folds of ${examples.length} examples`);
  const shuffled = shuffle(examples, createRandom(`folds:${seed}`));
  const folds: Example[][] = Array.from({ length: k }, () => []);
  for (const [i, example] of shuffled.entries()) folds[i % k]?.push(example);
  return folds;
}
