// How a batch is cut into durable steps so that the largest batch fits one Inngest function run
// (Inngest allows 1,000 steps per run, 4 MB returned by one step, 32 MB of run state).
//
// Rows are written a chunk at a time (`chunkSize` rows in one transaction: the unit a crash can lose).
// A step runs one chunk — or, past MAX_BATCH_STEPS chunks, several consecutive chunks — so a batch never
// plans more than MAX_BATCH_STEPS steps, and every step returns the same few counts whatever its size
// (the rows and their outputs live in the database). Sizing steps from the job, rather than fanning out
// into child function runs (step.invoke), keeps one function run per batch: one cancel event, one
// failure to record, the same steps on both runners; the cost is longer steps past 90,000 rows at 100
// rows per chunk (1,112 rows per step at 1,000,000 rows), which a long-running app server serves fine.
// Batches larger than MAX_INNGEST_BATCH_ROWS are refused on the Inngest runner before they start.
import { InputError } from "@/lib/core/errors";

/** At most this many steps per batch: Inngest's 1,000, with a margin. */
export const MAX_BATCH_STEPS = 900;

/** The documented maximum batch on the Inngest runner (rows numbered 1 … 1,000,000). */
export const MAX_INNGEST_BATCH_ROWS = 1_000_000;

export interface BatchStepPlan {
  /** Rows per chunk (written in one transaction). */
  chunkSize: number;
  chunks: number;
  /** Consecutive chunks one step runs. */
  chunksPerStep: number;
  steps: number;
}

/** The plan of a batch whose rows are numbered 1 … `lastRowNumber`. */
export function planBatchSteps(lastRowNumber: number, chunkSize: number): BatchStepPlan {
  const chunks = Math.ceil(Math.max(0, lastRowNumber) / chunkSize);
  const chunksPerStep = Math.max(1, Math.ceil(chunks / MAX_BATCH_STEPS));
  return { chunkSize, chunks, chunksPerStep, steps: Math.ceil(chunks / chunksPerStep) };
}

/** The chunks (0-based, inclusive) step `step` runs. */
export function stepChunks(plan: BatchStepPlan, step: number): { first: number; last: number } {
  const first = step * plan.chunksPerStep;
  return { first, last: Math.min(first + plan.chunksPerStep, plan.chunks) - 1 };
}

/** The id of step `step`: `chunk-<n>` while a step is one chunk, else `chunks-<first>-<last>`. */
export function batchStepId(plan: BatchStepPlan, step: number): string {
  if (plan.chunksPerStep === 1) return `chunk-${step}`;
  const { first, last } = stepChunks(plan, step);
  return `chunks-${first}-${last}`;
}

/**
 * Why a batch whose rows are numbered up to `lastRowNumber` cannot run on the Inngest runner, naming
 * the limit; null when it fits.
 */
export function inngestBatchSizeProblem(lastRowNumber: number): string | null {
  if (lastRowNumber <= MAX_INNGEST_BATCH_ROWS) return null;
  return (
    `the batch has more than ${MAX_INNGEST_BATCH_ROWS.toLocaleString("en-US")} rows: the Inngest runner ` +
    "takes at most that many per batch (Inngest allows 1,000 steps per function run); split the input, " +
    "or use the embedded runner"
  );
}

/**
 * `items` (rows as they stream in), stopped with a 400 naming the limit at the first row past it when
 * the batch will run on Inngest: nothing is stored then (the rows are written in one transaction).
 */
export async function* withinInngestBatchLimit<T extends { rowNumber: number | null }>(
  items: AsyncIterable<T>,
  runner: "inngest" | "embedded",
): AsyncGenerator<T> {
  for await (const item of items) {
    const problem =
      runner === "inngest" && item.rowNumber !== null ? inngestBatchSizeProblem(item.rowNumber) : null;
    if (problem)
      throw new InputError(problem, {
        limit: MAX_INNGEST_BATCH_ROWS,
        issues: [{ in: "body", path: "rows", message: problem }],
      });
    yield item;
  }
}
