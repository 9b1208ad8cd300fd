// Batches: a job, its rows (input; once done, output or error with usage) and the malformed rows it
// skipped. Rows stream in (a chunk of INSERTs at a time, all in the creating transaction, so a refused
// batch stores nothing) and out (keyset pages by rowNumber); results are written per chunk, each row at
// most once (a row already done is never overwritten or counted again).
import { ConflictError, InputError, NotFoundError } from "@/lib/core/errors";
import type { Variables } from "@/lib/core/types";
import { type AuditActor, type AuditEntryInput, appendAudit } from "./audit";
import type { Db, Tx } from "./client";
import type { BatchJob } from "./generated/sqlite/client";
import { Prisma } from "./generated/sqlite/client";
import type { LatencySummary } from "./latency";
import { keysetPage, type Page, type PageCursor } from "./pagination";
import { json } from "./util";

export type BatchJobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type BatchSource = "dataset" | "file";
export type BatchOrigin = "api" | "cli";

/**
 * Rows per INSERT. Small on purpose (see dataset-writes.ts): Prisma's query plan cache keeps recent raw
 * statements with their parameters, so big statements keep their rows alive after the write.
 */
const INSERT_CHUNK = 100;
/** Creating a batch of 100k rows takes seconds; the default interactive-transaction timeout is 5 s. */
const WRITE_TIMEOUT_MS = 10 * 60_000;
/** Issues returned with a created batch and a batch's detail. */
export const SHOWN_ISSUES = 20;

export interface BatchRecord {
  id: string;
  projectId: string;
  taskId: string;
  taskName: string;
  promptVersionId: string;
  promptVersion: number;
  source: BatchSource;
  datasetVersionId: string | null;
  sourceName: string;
  model: Record<string, unknown>;
  cache: Record<string, unknown>;
  chunkSize: number;
  malformedPolicy: "skip" | "stop";
  columns: string[];
  lastRowNumber: number;
  origin: BatchOrigin;
  status: BatchJobStatus;
  totalRows: number;
  doneRows: number;
  failedRows: number;
  skippedRows: number;
  error: string | null;
  failedStep: string | null;
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Provider requests the gateway retried (429s, 5xx, timeouts). */
  retries: number;
  /** Latency of the rows' calls, stored when the batch finished (null before). */
  latency: LatencySummary | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const withRefs = {
  task: { select: { name: true } },
  promptVersion: { select: { version: true } },
} as const;

type BatchRow = BatchJob & { task: { name: string }; promptVersion: { version: number } };

function toRecord(row: BatchRow): BatchRecord {
  const { task, promptVersion, ...rest } = row;
  return {
    ...rest,
    taskName: task.name,
    promptVersion: promptVersion.version,
    source: row.source as BatchSource,
    model: row.model as Record<string, unknown>,
    cache: row.cache as Record<string, unknown>,
    malformedPolicy: row.malformedPolicy as "skip" | "stop",
    columns: row.columns as string[],
    origin: row.origin as BatchOrigin,
    status: row.status as BatchJobStatus,
    latency: (row.latency as LatencySummary | null) ?? null,
  };
}

// ---- creating ---------------------------------------------------------------------------------------------

export interface NewBatch {
  projectId: string;
  organizationId: string;
  taskId: string;
  promptVersionId: string;
  source: BatchSource;
  datasetVersionId: string | null;
  sourceName: string;
  model: Record<string, unknown>;
  cache: Record<string, unknown>;
  chunkSize: number;
  malformedPolicy: "skip" | "stop";
  origin: BatchOrigin;
  createdBy: string | null;
  /** For the audit entry. */
  taskName: string;
  promptVersion: number;
}

/** A row to process, or a malformed row that was skipped. Row numbers increase. */
export type BatchItem =
  | { kind: "row"; rowNumber: number; key: string; input: Variables }
  | { kind: "issue"; rowNumber: number | null; line: number | null; message: string };

export interface WrittenBatch {
  batch: BatchRecord;
  /** The first SHOWN_ISSUES skipped rows. */
  issues: { row: number | null; message: string }[];
}

async function insertRows(tx: Tx, batchId: string, rows: Extract<BatchItem, { kind: "row" }>[]) {
  if (rows.length === 0) return;
  const values = rows.map(
    (r) => Prisma.sql`(${batchId}, ${r.rowNumber}, ${r.key}, ${JSON.stringify(r.input)})`,
  );
  await tx.$executeRaw`INSERT INTO "BatchRow" ("batchId", "rowNumber", "key", "input") VALUES ${Prisma.join(values)}`;
}

/**
 * Creates a queued batch with its rows and skipped-row issues, read once from `items` (inside the
 * transaction: reads of the database while it runs must go through `tx`), and its audit entry: all or nothing. `items` throwing (a malformed row under policy
 * "stop", an unreadable file) rolls everything back. `columns()` is asked after the last item. A batch
 * without a single row to process is refused (InputError), nothing stored.
 */
export function writeBatch(
  db: Db,
  actor: AuditActor,
  input: NewBatch,
  items: (tx: Tx) => AsyncIterable<BatchItem>,
  columns: () => string[],
): Promise<WrittenBatch> {
  return db.$transaction(
    async (tx) => {
      const created = await tx.batchJob.create({
        data: {
          projectId: input.projectId,
          taskId: input.taskId,
          promptVersionId: input.promptVersionId,
          source: input.source,
          datasetVersionId: input.datasetVersionId,
          sourceName: input.sourceName,
          model: json(input.model),
          cache: json(input.cache),
          chunkSize: input.chunkSize,
          malformedPolicy: input.malformedPolicy,
          columns: json([]),
          origin: input.origin,
          createdBy: input.createdBy,
          status: "queued",
        },
        select: { id: true },
      });
      const batchId = created.id;
      let rows: Extract<BatchItem, { kind: "row" }>[] = [];
      let issues: { batchId: string; rowNumber: number | null; line: number | null; message: string }[] = [];
      const shown: { row: number | null; message: string }[] = [];
      let totalRows = 0;
      let skippedRows = 0;
      let lastRowNumber = 0;
      for await (const item of items(tx)) {
        if (item.kind === "row") {
          rows.push(item);
          totalRows++;
          lastRowNumber = Math.max(lastRowNumber, item.rowNumber);
          if (rows.length === INSERT_CHUNK) {
            await insertRows(tx, batchId, rows);
            rows = [];
          }
        } else {
          if (item.rowNumber !== null) skippedRows++;
          if (shown.length < SHOWN_ISSUES) shown.push({ row: item.rowNumber, message: item.message });
          issues.push({ batchId, rowNumber: item.rowNumber, line: item.line, message: item.message });
          if (issues.length === INSERT_CHUNK) {
            await tx.batchIssue.createMany({ data: issues });
            issues = [];
          }
        }
      }
      await insertRows(tx, batchId, rows);
      if (issues.length > 0) await tx.batchIssue.createMany({ data: issues });
      if (totalRows === 0) {
        throw new InputError(
          skippedRows > 0
            ? `${input.sourceName}: every row is malformed (${skippedRows} skipped); nothing to process, nothing was stored`
            : `${input.sourceName}: no rows to process; nothing was stored`,
          { issues: shown },
        );
      }
      const row = await tx.batchJob.update({
        where: { id: batchId },
        data: { totalRows, skippedRows, lastRowNumber, columns: json(columns()) },
        include: withRefs,
      });
      const audit: AuditEntryInput = {
        action: "batch.created",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "batch",
        targetId: batchId,
        targetLabel: `${input.taskName} v${input.promptVersion} over ${input.sourceName}`,
        after: {
          task: input.taskName,
          promptVersion: input.promptVersion,
          source: input.source,
          sourceName: input.sourceName,
          model: input.model.id ?? null,
          chunkSize: input.chunkSize,
          onMalformedRow: input.malformedPolicy,
          totalRows,
          skippedRows,
        },
      };
      await appendAudit(tx, actor, audit);
      return { batch: toRecord(row), issues: shown };
    },
    { timeout: WRITE_TIMEOUT_MS, maxWait: 60_000 },
  );
}

// ---- reading ----------------------------------------------------------------------------------------------

export async function getBatchRecord(db: Db, id: string): Promise<BatchRecord | null> {
  const row = await db.batchJob.findUnique({ where: { id }, include: withRefs });
  return row ? toRecord(row) : null;
}

/** A batch only when it belongs to `projectId`. */
export async function getProjectBatch(db: Db, projectId: string, id: string): Promise<BatchRecord | null> {
  const row = await db.batchJob.findFirst({ where: { id, projectId }, include: withRefs });
  return row ? toRecord(row) : null;
}

export async function getBatchStatus(db: Db, id: string): Promise<BatchJobStatus | null> {
  const row = await db.batchJob.findUnique({ where: { id }, select: { status: true } });
  return row ? (row.status as BatchJobStatus) : null;
}

/** One page of a project's batches, newest first (keyset over createdAt, id). */
export function pageProjectBatches(
  db: Db,
  projectId: string,
  query: { status?: BatchJobStatus; cursor?: PageCursor | null; limit: number },
): Promise<Page<BatchRecord>> {
  return keysetPage(query, async (where, take) => {
    const rows = await db.batchJob.findMany({
      where: { projectId, ...(query.status ? { status: query.status } : {}), ...where },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      include: withRefs,
    });
    return rows.map(toRecord);
  });
}

/** The first `limit` skipped-row issues of a batch (by row) and how many there are. */
export async function listBatchIssues(
  db: Db,
  batchId: string,
  limit = SHOWN_ISSUES,
): Promise<{ items: { row: number | null; line: number | null; message: string }[]; count: number }> {
  const [rows, count] = await Promise.all([
    db.batchIssue.findMany({
      where: { batchId },
      orderBy: [{ rowNumber: "asc" }, { id: "asc" }],
      take: limit,
      select: { rowNumber: true, line: true, message: true },
    }),
    db.batchIssue.count({ where: { batchId } }),
  ]);
  return { items: rows.map((r) => ({ row: r.rowNumber, line: r.line, message: r.message })), count };
}

export interface StoredBatchRow {
  rowNumber: number;
  key: string;
  input: Variables;
  output: string | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
  done: boolean;
}

const ROW_SELECT = {
  rowNumber: true,
  key: true,
  input: true,
  output: true,
  error: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  latencyMs: true,
  cached: true,
  done: true,
} as const;

const toStoredRow = (row: Omit<StoredBatchRow, "input"> & { input: unknown }): StoredBatchRow => ({
  ...row,
  input: row.input as Variables,
});

export type BatchRowFilter = "all" | "done" | "failed";

function filterWhere(view: BatchRowFilter) {
  if (view === "done") return { done: true, error: null };
  if (view === "failed") return { done: true, error: { not: null } };
  return {};
}

/** A page of a batch's rows in row order, after row `afterRow`. */
export async function pageBatchRowRecords(
  db: Db,
  batchId: string,
  query: { view: BatchRowFilter; afterRow: number | null; limit: number },
): Promise<{ items: StoredBatchRow[]; nextAfterRow: number | null }> {
  const rows = await db.batchRow.findMany({
    where: {
      batchId,
      ...filterWhere(query.view),
      ...(query.afterRow !== null ? { rowNumber: { gt: query.afterRow } } : {}),
    },
    orderBy: { rowNumber: "asc" },
    take: query.limit + 1,
    select: ROW_SELECT,
  });
  const items = rows.slice(0, query.limit).map(toStoredRow);
  const last = items[items.length - 1];
  return { items, nextAfterRow: rows.length > query.limit && last ? last.rowNumber : null };
}

/** Every row of a batch in row order, `batch` rows per query (downloads, the CLI's output file). */
export async function* iterateBatchRows(
  db: Db,
  batchId: string,
  batch = 500,
): AsyncGenerator<StoredBatchRow> {
  let after = 0;
  for (;;) {
    const rows = await db.batchRow.findMany({
      where: { batchId, rowNumber: { gt: after } },
      orderBy: { rowNumber: "asc" },
      take: batch,
      select: ROW_SELECT,
    });
    for (const row of rows) yield toStoredRow(row);
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.rowNumber;
  }
}

// ---- executing --------------------------------------------------------------------------------------------

const ACTIVE: BatchJobStatus[] = ["queued", "running"];

/** Batches still queued or running (every project), oldest first: what a restarted runner picks up. */
export async function listUnfinishedBatches(db: Db): Promise<BatchRecord[]> {
  const rows = await db.batchJob.findMany({
    where: { status: { in: ACTIVE } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: withRefs,
  });
  return rows.map(toRecord);
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
      where: { id, status: { in: ACTIVE } },
      data: { status: "running", startedAt: batch.startedAt ?? new Date(), finishedAt: null },
    });
    return count > 0;
  });
}

/** Marks a queued or running batch cancelled (now); false when it had already finished. */
export async function markBatchCancelled(db: Db | Tx, id: string): Promise<boolean> {
  const { count } = await db.batchJob.updateMany({
    where: { id, status: { in: ACTIVE } },
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
    where: { id, status: { in: ACTIVE } },
    data: {
      status: outcome.status,
      finishedAt: new Date(),
      error: outcome.error ?? null,
      failedStep: outcome.failedStep ?? null,
    },
  });
  return count > 0;
}

export interface PendingBatchRow {
  rowNumber: number;
  key: string;
  input: Variables;
}

/** The rows with rowNumber in [from, to] not done yet, in row order. */
export async function pendingBatchRows(
  db: Db,
  batchId: string,
  from: number,
  to: number,
): Promise<PendingBatchRow[]> {
  const rows = await db.batchRow.findMany({
    where: { batchId, done: false, rowNumber: { gte: from, lte: to } },
    orderBy: { rowNumber: "asc" },
    select: { rowNumber: true, key: true, input: true },
  });
  return rows.map((r) => ({ rowNumber: r.rowNumber, key: r.key, input: r.input as Variables }));
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
