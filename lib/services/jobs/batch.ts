// The batch job kind: a stored batch of rows through one prompt version and model (see
// lib/services/batch-execution.ts), on the embedded runner or as the Inngest function `batch-run`
// (events `strop/batch.requested` / `strop/batch.cancel`, keyed by `batchId`). Its rows are its durable
// record, so no step results are stored; a step returns counts only.
import { getBatchRecord } from "@/lib/db";
import { type JobKind, positiveSetting } from "@/lib/runner/job-kind";
import { batchStreamProjection } from "../batch-events";
import { type BatchOutcome, batchStore, executeBatch } from "../batch-execution";
import { inngestBatchSizeProblem } from "./batch-plan";

/** What the Inngest function returns (counts only: the rows live in the database). */
export interface BatchRunResult {
  batchId: string;
  status: BatchOutcome["status"];
  doneRows: number;
  failedRows: number;
}

export const batchJob: JobKind<BatchOutcome, BatchRunResult, typeof batchStreamProjection> = {
  id: "batch",
  noun: "batch",
  inngest: {
    functionId: "batch-run",
    name: "Batch",
    events: { requested: "strop/batch.requested", cancel: "strop/batch.cancel", idField: "batchId" },
    /**
     * STROP_INNGEST_BATCH_PROJECT_CONCURRENCY (default 2 steps at a time per project),
     * STROP_INNGEST_BATCH_PROVIDER_CONCURRENCY (default 4 per provider). The calls inside a step are held
     * to the model's own concurrency and rate limits by the gateway.
     */
    flowControl: (env) => ({
      concurrency: [
        {
          key: "event.data.projectId",
          limit: positiveSetting(env, "STROP_INNGEST_BATCH_PROJECT_CONCURRENCY", 2),
        },
        {
          key: "event.data.provider",
          limit: positiveSetting(env, "STROP_INNGEST_BATCH_PROVIDER_CONCURRENCY", 4),
        },
      ],
      retries: 4,
    }),
    async limitProblem(db, id) {
      const batch = await getBatchRecord(db, id);
      return batch ? inngestBatchSizeProblem(batch.lastRowNumber) : null;
    },
  },
  store: batchStore,
  // Batches of `strop batch` are continued by `strop batch --resume`.
  resumesUnattended: (job) => job.origin === "app",
  checkpoints: "job-state",
  execute: (db, id, steps, signal, options) => executeBatch(db, id, steps, signal, options),
  functionResult: (batchId, outcome) => ({
    batchId,
    status: outcome.status,
    doneRows: outcome.doneRows,
    failedRows: outcome.failedRows,
  }),
  stream: batchStreamProjection,
};
