// Executing batches: picked up after a restart, claimed, cancelled, finished, and their results recorded
// per chunk, each row at most once (a row already done is never overwritten or counted again).
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import { type AuditActor, appendAudit } from "../audit";
import type { Db, Tx } from "../client";
import { Prisma } from "../generated/sqlite/client";
import { ACTIVE_BATCH_STATUSES, type BatchRecord, batchRecord, withRefs } from "./records";
import type { PendingBatchRow } from "./rows";
import { INSERT_CHUNK } from "./write";

/** Batches still queued or running (every project), oldest first: what a restarted runner picks up. */
export async function listUnfinishedBatches(db: Db): Promise<BatchRecord[]> {
  const rows = await db.batchJob.findMany({
    where: { status: { in: ACTIVE_BATCH_STATUSES } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: withRefs,
  });
  return rows.map(batchRecord);
}

/**
 * Moves a queued or running batch to "running" (keeping its first start time) and returns true; false,
 * changing nothing, when it is finished or cancelled.
 */
export async function claimBatch(db: Db, id: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const batch = await tx.batchJob.findUnique({ where: { id }, select: { startedAt: true } });
    if (!batch) return false;
    const { count } = await tx.batchJob.updateMany({
      where: { id, status: { in: ACTIVE_BATCH_STATUSES } },
      data: { status: "running", startedAt: batch.startedAt ?? new Date(), finishedAt: null },
    });
    return count > 0;
  });
}

/** Marks a queued or running batch cancelled (now); false when it had already finished. */
export async function markBatchCancelled(db: Db | Tx, id: string): Promise<boolean> {
  const { count } = await db.batchJob.updateMany({
    where: { id, status: { in: ACTIVE_BATCH_STATUSES } },
    data: { status: "cancelled", finishedAt: new Date() },
  });
  return count > 0;
}

/**
 * Cancels a batch of the project with its audit entry, in one transaction. "cancelled" when it is (or
 * already was) cancelled; a finished batch is a ConflictError.
 */
export async function cancelProjectBatch(
  db: Db,
  actor: AuditActor,
  scope: { projectId: string; organizationId: string },
  id: string,
): Promise<"cancelled" | "already"> {
  return db.$transaction(async (tx) => {
    const batch = await tx.batchJob.findFirst({
      where: { id, projectId: scope.projectId },
      select: { status: true, sourceName: true },
    });
    if (!batch) throw new NotFoundError(`no batch "${id}" in this project`);
    if (batch.status === "cancelled") return "already" as const;
    if (!(await markBatchCancelled(tx, id))) {
      throw new ConflictError(
        `batch ${id} already ${batch.status}; only queued or running batches can be cancelled`,
      );
    }
    await appendAudit(tx, actor, {
      action: "batch.cancelled",
      organizationId: scope.organizationId,
      projectId: scope.projectId,
      targetType: "batch",
      targetId: id,
      targetLabel: batch.sourceName,
      before: { status: batch.status },
      after: { status: "cancelled" },
    });
    return "cancelled" as const;
  });
}

/** Finishes a batch only while it is queued or running (a cancelled batch stays cancelled). */
export async function finishActiveBatch(
  db: Db,
  id: string,
  outcome: { status: "succeeded" | "failed"; error?: string | null; failedStep?: string | null },
): Promise<boolean> {
  const { count } = await db.batchJob.updateMany({
    where: { id, status: { in: ACTIVE_BATCH_STATUSES } },
    data: {
      status: outcome.status,
      finishedAt: new Date(),
      error: outcome.error ?? null,
      failedStep: outcome.failedStep ?? null,
    },
  });
  return count > 0;
}

export interface BatchRowResult extends PendingBatchRow {
  output: string | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
}

export interface RecordedCounts {
  /** Rows that became done here (with an output or an error). */
  done: number;
  failed: number;
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export const emptyBatchCounts = (): RecordedCounts => ({
  done: 0,
  failed: 0,
  calls: 0,
  cacheHits: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
});

/**
 * Marks rows done with their results and adds what they used to the batch's counters, in one
 * transaction. A row that is done already is left as it is and not counted again (a replayed or
 * concurrent chunk never double-counts). Returns what was recorded.
 */
export async function recordBatchResults(
  db: Db,
  batchId: string,
  results: BatchRowResult[],
  /** Provider requests the gateway retried for these rows. */
  retries = 0,
): Promise<RecordedCounts> {
  const counts = emptyBatchCounts();
  if (results.length === 0) return counts;
  const byRow = new Map(results.map((r) => [r.rowNumber, r]));
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < results.length; i += INSERT_CHUNK) {
        const chunk = results.slice(i, i + INSERT_CHUNK);
        const values = chunk.map(
          (r) =>
            Prisma.sql`(${batchId}, ${r.rowNumber}, ${r.key}, ${JSON.stringify(r.input)}, ${r.output}, ${r.error}, ${r.inputTokens}, ${r.outputTokens}, ${r.costUsd}, ${Math.round(r.latencyMs)}, ${r.cached}, TRUE)`,
        );
        // Every row exists: the insert never happens, the update only where the row is not done yet.
        const updated = await tx.$queryRaw<{ rowNumber: number }[]>`
          INSERT INTO "BatchRow" ("batchId", "rowNumber", "key", "input", "output", "error", "inputTokens", "outputTokens", "costUsd", "latencyMs", "cached", "done")
          VALUES ${Prisma.join(values)}
          ON CONFLICT ("batchId", "rowNumber") DO UPDATE SET
            "output" = excluded."output", "error" = excluded."error", "inputTokens" = excluded."inputTokens",
            "outputTokens" = excluded."outputTokens", "costUsd" = excluded."costUsd",
            "latencyMs" = excluded."latencyMs", "cached" = excluded."cached", "done" = TRUE
          WHERE "BatchRow"."done" = FALSE
          RETURNING "rowNumber"`;
        for (const { rowNumber } of updated) {
          const r = byRow.get(Number(rowNumber));
          if (!r) continue;
          counts.done++;
          if (r.error !== null) counts.failed++;
          counts.calls++;
          if (r.cached) counts.cacheHits++;
          counts.inputTokens += r.inputTokens;
          counts.outputTokens += r.outputTokens;
          counts.costUsd += r.costUsd;
        }
      }
      if (counts.done > 0) {
        await tx.batchJob.update({
          where: { id: batchId },
          data: {
            doneRows: { increment: counts.done },
            failedRows: { increment: counts.failed },
            calls: { increment: counts.calls },
            cacheHits: { increment: counts.cacheHits },
            inputTokens: { increment: counts.inputTokens },
            outputTokens: { increment: counts.outputTokens },
            costUsd: { increment: counts.costUsd },
            retries: { increment: retries },
          },
        });
      }
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
  return counts;
}
