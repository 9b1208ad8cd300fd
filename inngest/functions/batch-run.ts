// The Inngest function that executes a stored batch: each chunk of rows is a memoized `step.run` with
// the stable id `chunk-<n>` returning only counts (the rows and their outputs live in the database).
// Flow control is configuration:
//   concurrency  per project (event.data.projectId) and per provider (event.data.provider)
//   retries      of a failing chunk step, with Inngest's exponential backoff (a retried chunk skips the
//                rows it finished before failing)
//   cancelOn     `strop/batch.cancel` with the same batchId
import { type Inngest, NonRetriableError } from "inngest";
import { type Db, getDb } from "@/lib/db";
import { type BatchOutcome, executeBatch } from "@/lib/services/batch-execution";
import { inngest } from "../client";
import { batchCancel, batchRequested } from "../events";
import { type InngestStepTools, inngestStepRunner } from "../step-runner";

type Env = Record<string, string | undefined>;

function positive(env: Env, name: string, fallback: number): number {
  const n = Number(env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Flow control of batches; the limits can be tuned per deployment:
 * STROP_INNGEST_BATCH_PROJECT_CONCURRENCY (default 2 chunks at a time per project),
 * STROP_INNGEST_BATCH_PROVIDER_CONCURRENCY (default 4 per provider). The calls inside a chunk are held
 * to the model's own concurrency and rate limits by the gateway.
 */
export function batchRunFlowControl(env: Env = process.env) {
  return {
    concurrency: [
      { key: "event.data.projectId", limit: positive(env, "STROP_INNGEST_BATCH_PROJECT_CONCURRENCY", 2) },
      { key: "event.data.provider", limit: positive(env, "STROP_INNGEST_BATCH_PROVIDER_CONCURRENCY", 4) },
    ] as [{ key: string; limit: number }, { key: string; limit: number }],
    retries: 4 as const,
  };
}

/** What the function returns to Inngest (counts only: the rows live in the database). */
export interface BatchRunResult {
  batchId: string;
  status: BatchOutcome["status"];
  doneRows: number;
  failedRows: number;
}

/** The handler, separate from its registration so that tests can drive it with their own step tools. */
export async function handleBatchRequested(
  batchId: string,
  step: InngestStepTools,
  db: Db,
): Promise<BatchRunResult> {
  const outcome = await executeBatch(db, batchId, inngestStepRunner(step));
  if (outcome.status === "failed") {
    const where = outcome.failedStep ? ` at step ${outcome.failedStep}` : "";
    throw new NonRetriableError(`batch ${batchId} failed${where}: ${outcome.error}`, {
      cause: outcome.cause,
    });
  }
  return {
    batchId,
    status: outcome.status,
    doneRows: outcome.doneRows,
    failedRows: outcome.failedRows,
  };
}

export function createBatchRunFunction(
  client: Inngest.Any,
  options: { db?: () => Promise<Db>; env?: Env } = {},
) {
  const openDb = options.db ?? getDb;
  return client.createFunction(
    {
      id: "batch-run",
      name: "Batch",
      triggers: [batchRequested],
      ...batchRunFlowControl(options.env),
      cancelOn: [{ event: batchCancel, match: "data.batchId" }],
    },
    async ({ event, step }) => handleBatchRequested(event.data.batchId, step, await openDb()),
  );
}

export const batchRun = createBatchRunFunction(inngest);
