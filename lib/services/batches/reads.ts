// Reading batches: a project's batches page by page, one batch with its progress, its rows page by page,
// and cancelling one. Shapes are the API's (lib/validation/batches.ts); lib/db already reads rows in
// that shape.
import { actorOf, type ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  type BatchRecord,
  cancelProjectBatch,
  type Db,
  getProjectBatch,
  listBatchIssues,
  type Page,
  type PageCursor,
  pageBatchRowRecords,
  pageProjectBatches,
} from "@/lib/db";
import type {
  BatchDetail,
  BatchProgress,
  BatchRowFilter,
  BatchRowPage,
  BatchStatus,
  BatchSummary,
} from "@/lib/validation/batches";
import { fieldError } from "@/lib/validation/parse";
import { batchJob, stopCancelledJob } from "../jobs";
import type { BatchServiceOptions } from "./create";

export function batchSummary(b: BatchRecord): BatchSummary {
  return {
    id: b.id,
    status: b.status,
    taskName: b.taskName,
    promptVersion: b.promptVersion,
    source: b.source,
    sourceName: b.sourceName,
    modelId: b.model.id,
    totalRows: b.totalRows,
    doneRows: b.doneRows,
    failedRows: b.failedRows,
    skippedRows: b.skippedRows,
    calls: b.calls,
    cacheHits: b.cacheHits,
    inputTokens: b.inputTokens,
    outputTokens: b.outputTokens,
    costUsd: b.costUsd,
    error: b.error,
    createdBy: b.createdBy,
    createdAt: b.createdAt,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
  };
}

/** Progress derived from the counters (the rate over the time since the batch first started). */
export function batchProgress(b: BatchRecord, now = Date.now()): BatchProgress {
  const elapsedMs = b.startedAt
    ? Math.max(0, (b.finishedAt?.getTime() ?? now) - b.startedAt.getTime())
    : null;
  const rowsPerSecond = elapsedMs && b.doneRows > 0 ? b.doneRows / (elapsedMs / 1000) : null;
  const active = b.status === "running" || b.status === "queued";
  return {
    fraction: b.totalRows > 0 ? b.doneRows / b.totalRows : 1,
    chunks: Math.ceil(b.lastRowNumber / b.chunkSize),
    elapsedMs,
    etaMs: active && rowsPerSecond ? Math.round(((b.totalRows - b.doneRows) / rowsPerSecond) * 1000) : null,
    rowsPerSecond: rowsPerSecond !== null ? Math.round(rowsPerSecond * 100) / 100 : null,
  };
}

/** A batch of the project, or a 404 (also for another project's batch). */
export async function requireBatch(db: Db, access: ProjectAccess, id: string): Promise<BatchRecord> {
  const batch =
    typeof id === "string" && id.length <= 100 ? await getProjectBatch(db, access.project.id, id) : null;
  if (!batch) throw new NotFoundError(`no batch "${id}" in this project`);
  return batch;
}

/** A project's batches, newest first. */
export async function listBatches(
  db: Db,
  access: ProjectAccess,
  query: { status?: BatchStatus; cursor?: PageCursor | null; limit: number },
): Promise<Page<BatchSummary>> {
  const page = await pageProjectBatches(db, access.project.id, query);
  return { items: page.items.map(batchSummary), next: page.next };
}

/** One batch of the project with its progress, model and skipped rows (404 for another project's). */
export async function getBatch(db: Db, access: ProjectAccess, id: string): Promise<BatchDetail> {
  const batch = await requireBatch(db, access, id);
  const issues = await listBatchIssues(db, batch.id);
  return {
    ...batchSummary(batch),
    taskId: batch.taskId,
    promptVersionId: batch.promptVersionId,
    datasetVersionId: batch.datasetVersionId,
    model: { ...batch.model },
    chunkSize: batch.chunkSize,
    onMalformedRow: batch.malformedPolicy,
    columns: batch.columns,
    progress: batchProgress(batch),
    issues: issues.items.map((i) => ({ row: i.row, message: i.message })),
    issueCount: issues.count,
    retries: batch.retries,
    latency: batch.latency,
  };
}

/**
 * Cancels a queued or running batch (audited): it stops before its next chunk and aborts the calls in
 * flight (in this process at once, in another within about a second, with Inngest through
 * `strop/batch.cancel`); rows finished so far stay readable. A finished batch is a ConflictError (409);
 * cancelling a cancelled batch again is a no-op.
 */
export async function cancelBatch(
  db: Db,
  access: ProjectAccess,
  id: string,
  actor?: AuditActor,
  options: BatchServiceOptions = {},
): Promise<{ id: string; status: BatchStatus }> {
  const batch = await requireBatch(db, access, id);
  const outcome = await cancelProjectBatch(
    db,
    actor ?? actorOf(access.principal),
    { projectId: access.project.id, organizationId: access.project.organization.id },
    batch.id,
  );
  if (outcome === "cancelled") await stopCancelledJob(batchJob, batch.id, options);
  return { id: batch.id, status: "cancelled" };
}

function encodeRowCursor(row: number): string {
  return Buffer.from(`row:${row}`).toString("base64url");
}

function decodeRowCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const match = /^row:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw fieldError("query", "cursor", "not a cursor this API returned");
  return Number(match[1]);
}

/** A page of a batch's rows in row order: all, done (with an output) or failed (with an error). */
export async function pageBatchRows(
  db: Db,
  access: ProjectAccess,
  id: string,
  query: { view: BatchRowFilter; cursor?: string; limit: number },
): Promise<BatchRowPage> {
  const afterRow = decodeRowCursor(query.cursor);
  const batch = await requireBatch(db, access, id);
  const page = await pageBatchRowRecords(db, batch.id, { view: query.view, afterRow, limit: query.limit });
  return {
    items: page.items,
    nextCursor: page.nextAfterRow !== null ? encodeRowCursor(page.nextAfterRow) : null,
  };
}
