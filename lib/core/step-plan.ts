// How many durable steps a run takes and how much data they return, before it starts: Inngest allows at
// most 1,000 steps per function run, 4 MB returned by one step and 32 MB of run state. The plan counts
// the worst case (every iteration runs to the end, every candidate is scored, nothing is reused), picks
// the examples per batch step from the job — the smallest batch that fits, so a crash loses little — and
// names the limit a job breaks when no batch size fits. Pure: the same settings, the same plan.
import { testChunkSize } from "./final-test";
import type { SearchPlan } from "./optimizer";

export const INNGEST_LIMITS = {
  steps: 1_000,
  stepBytes: 4 * 1024 * 1024,
  totalBytes: 32 * 1024 * 1024,
} as const;
export type StepLimits = { steps: number; stepBytes: number; totalBytes: number };

/** Steps kept free for the job engine's own bookkeeping. */
export const ENGINE_STEP_RESERVE = 20;

/** Assumed sizes (bytes) where settings cannot say: the estimate errs on the large side. */
export const SIZE_ASSUMPTIONS = {
  /** An example id (database ids are 25 characters; id columns may be longer). */
  id: 100,
  /** A metric's name and mean in a summary, and metrics per example. */
  metric: 80,
  metrics: 10,
  /** A candidate as the optimizer step returns it, at least (prompt texts, demos, rationale). */
  candidate: 32 * 1024,
  /** A rejected attempt's reason and the kept start of its raw output (lib/core/search.ts). */
  rejected: 2_500,
  /** Attempts per proposal a strategy may record as rejected. */
  attempts: 5,
  /** A number in JSON (e.g. 0.30000000000000004) and the overhead of one object. */
  number: 24,
  object: 64,
} as const;

export interface StepPlanSettings {
  prompt: { systemPrompt: string; outputPrompt: string; demos: unknown[]; params: object };
  taskModel: { concurrency: number };
  candidates: number;
  failures: number;
  splits: { validation: number; test: number; minibatch?: number; folds?: number };
  acceptance: { validateTop: number };
  stop: { maxIterations: number };
  batchSize?: number;
}

export interface StepPlan {
  /** Examples per batch step. */
  batchSize: number;
  steps: number;
  /** The largest value one step returns (JSON bytes, estimated from above). */
  largestStepBytes: number;
  totalBytes: number;
  /** The limits the job breaks even at the best batch size; empty when it fits. */
  exceeds: { limit: keyof StepLimits; planned: number; max: number }[];
}

/** The batch size a run uses when nothing forces a larger one: two waves of the model's concurrency. */
export const defaultBatchSize = (concurrency: number) => Math.max(20, concurrency * 2);

const ceilDiv = (n: number, d: number) => Math.ceil(n / d);

/** What one iteration of the strategy asks for at most: the built-in strategies' one proposal and one scoring. */
export const DEFAULT_SEARCH_PLAN: SearchPlan = {
  proposals: 1,
  scorings: [{ candidates: "k", examples: "minibatch" }],
};

export interface SplitSizes {
  train: number;
  validation: number;
  test: number;
  minibatch: number;
}

export function splitSizes(settings: Pick<StepPlanSettings, "splits">, examples: number): SplitSizes {
  // As lib/core/splits.ts: each split keeps at least one example.
  const test = Math.max(1, Math.round(examples * settings.splits.test));
  const validationSplit = Math.max(1, Math.round(examples * settings.splits.validation));
  let train = Math.max(0, examples - test - validationSplit);
  let validation = validationSplit;
  if (settings.splits.folds) {
    // Cross-validation: one fold validates (the largest has ceil(n / k)), the others train.
    const pool = train + validationSplit;
    validation = Math.ceil(pool / settings.splits.folds);
    train = pool - Math.floor(pool / settings.splits.folds);
  }
  const minibatch = settings.splits.minibatch ? Math.min(settings.splits.minibatch, train) : train;
  return { train, validation, test, minibatch };
}

const batchStepBytes = () => {
  const { number, object } = SIZE_ASSUMPTIONS;
  // { value: { phase, examples, failed }, usage: { six numbers } }
  return 2 * object + 120 + 8 * number;
};

function countSteps(settings: StepPlanSettings, sizes: SplitSizes, batch: number, search: SearchPlan) {
  const { number, object, id, metric, metrics, candidate, rejected, attempts } = SIZE_ASSUMPTIONS;
  const k = settings.candidates;
  const contenders = Math.min(settings.acceptance.validateTop, k);
  const promptBytes = JSON.stringify(settings.prompt).length;
  const sized = (n: "minibatch" | "train" | number) =>
    n === "minibatch" ? sizes.minibatch : n === "train" ? sizes.train : n;
  const scorings = search.scorings.map((s) => ({
    candidates: s.candidates === "k" ? k : s.candidates,
    examples: sized(s.examples),
  }));
  const step = {
    batch: batchStepBytes(),
    interval: 4 * number + object,
    baselineSummary: 0,
    optimizer: 0,
    trainSummary: 0,
    acceptance: 0,
  };
  step.baselineSummary =
    2 * step.interval + metrics * metric + settings.failures * (id + 3) + number + object;
  step.optimizer = k * Math.max(candidate, 2 * promptBytes) + attempts * rejected + batchStepBytes() + object;
  step.trainSummary = Math.max(...scorings.map((s) => s.candidates), 1) * number + object;
  step.acceptance = contenders * (step.interval + number + object) + object;
  const batchesPerIteration =
    ceilDiv(sizes.minibatch, batch) +
    ceilDiv(sizes.validation, batch) +
    scorings.reduce((sum, s) => sum + s.candidates * ceilDiv(s.examples, batch), 0) +
    contenders * ceilDiv(sizes.validation, batch);
  const summariesPerIteration = 1 + scorings.length + 1;
  const iterations = settings.stop.maxIterations;
  const chunk = testChunkSize(batch);
  let testBatches = 0;
  for (let k = 0; k < ceilDiv(sizes.test, chunk); k++) {
    testBatches += 2 * ceilDiv(Math.min(chunk, sizes.test - k * chunk), batch);
  }
  const finalSummary = 3 * step.interval + object;
  const steps =
    1 + iterations * (batchesPerIteration + summariesPerIteration + search.proposals) + testBatches + 1 + 1;
  const totalBytes =
    number +
    iterations *
      (batchesPerIteration * step.batch +
        step.baselineSummary +
        search.proposals * step.optimizer +
        scorings.length * step.trainSummary +
        step.acceptance) +
    testBatches * step.batch +
    finalSummary +
    object;
  const largestStepBytes = Math.max(
    step.batch,
    step.baselineSummary,
    step.optimizer,
    step.acceptance,
    finalSummary,
  );
  return { steps, totalBytes, largestStepBytes };
}

function violations(
  measured: { steps: number; largestStepBytes: number; totalBytes: number },
  limits: StepLimits,
) {
  const exceeds: StepPlan["exceeds"] = [];
  if (measured.steps > limits.steps)
    exceeds.push({ limit: "steps", planned: measured.steps, max: limits.steps });
  if (measured.largestStepBytes > limits.stepBytes)
    exceeds.push({ limit: "stepBytes", planned: measured.largestStepBytes, max: limits.stepBytes });
  if (measured.totalBytes > limits.totalBytes)
    exceeds.push({ limit: "totalBytes", planned: measured.totalBytes, max: limits.totalBytes });
  return exceeds;
}

/**
 * The plan of an optimization run over `exampleCount` examples: `settings.batchSize` when set, else the
 * smallest batch (from two waves of the task model's concurrency up) whose steps fit the limits.
 */
export function planOptimizationSteps(
  settings: StepPlanSettings,
  exampleCount: number,
  options: { search?: SearchPlan; limits?: StepLimits } = {},
): StepPlan {
  const limits = options.limits ?? INNGEST_LIMITS;
  const search = options.search ?? DEFAULT_SEARCH_PLAN;
  const sizes = splitSizes(settings, exampleCount);
  const plan = (batch: number) => ({ batchSize: batch, ...countSteps(settings, sizes, batch, search) });
  const budget = limits.steps - ENGINE_STEP_RESERVE;
  let chosen = plan(settings.batchSize ?? defaultBatchSize(settings.taskModel.concurrency));
  if (settings.batchSize === undefined) {
    // Fewer steps with every larger batch: the smallest batch that fits, by bisection (the default
    // when it fits; the largest batch, the fewest steps, when nothing does).
    let [low, high] = [chosen.batchSize, Math.max(chosen.batchSize, exampleCount)];
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (plan(middle).steps <= budget) high = middle;
      else low = middle + 1;
    }
    chosen = plan(high);
  }
  return { ...chosen, exceeds: violations(chosen, limits) };
}

/** The plan of an evaluation (eval runs): a start, the batches and a summary step. */
export function planEvaluationSteps(
  settings: { taskModel: { concurrency: number }; batchSize?: number },
  exampleCount: number,
  limits: StepLimits = INNGEST_LIMITS,
): StepPlan {
  const { number, object, metric, metrics } = SIZE_ASSUMPTIONS;
  const count = (batch: number) => 2 + ceilDiv(exampleCount, batch);
  let batchSize = settings.batchSize ?? defaultBatchSize(settings.taskModel.concurrency);
  const budget = limits.steps - ENGINE_STEP_RESERVE;
  if (settings.batchSize === undefined)
    batchSize = Math.max(batchSize, Math.ceil(exampleCount / (budget - 2)));
  const steps = count(batchSize);
  const summary = 4 * number + metrics * metric + 2 * number + 6 * number + 2 * object;
  const measured = {
    steps,
    largestStepBytes: Math.max(batchStepBytes(), summary),
    totalBytes: number + (steps - 2) * batchStepBytes() + summary,
  };
  return { batchSize, ...measured, exceeds: violations(measured, limits) };
}
