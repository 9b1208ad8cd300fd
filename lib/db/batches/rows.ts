// A batch's rows, read back by keyset on rowNumber (nothing loads a batch whole): pages and a full
// iteration in the API's row shape (lib/validation/batches.ts `BatchRow`, status derived from done and
// error), and the rows of a chunk not done yet.
import type { Variables } from "@/lib/core/types";
import type { BatchRow, BatchRowFilter } from "@/lib/validation/batches";
import { readStored } from "@/lib/validation/stored-document";
import { storedVariablesSchema } from "@/lib/validation/stored-state";
import type { Db } from "../client";

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

type RowColumns = Omit<BatchRow, "input" | "status"> & { input: unknown; done: boolean };

const readInput = (batchId: string, row: { rowNumber: number; input: unknown }): Variables =>
  readStored(storedVariablesSchema, row.input, `batch ${batchId}: row ${row.rowNumber} input`);

function batchRow(batchId: string, row: RowColumns): BatchRow {
  const { done, ...rest } = row;
  return {
    ...rest,
    input: readInput(batchId, row),
    status: !done ? "pending" : row.error !== null ? "failed" : "done",
  };
}

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
): Promise<{ items: BatchRow[]; nextAfterRow: number | null }> {
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
  const items = rows.slice(0, query.limit).map((row) => batchRow(batchId, row));
  const last = items[items.length - 1];
  return { items, nextAfterRow: rows.length > query.limit && last ? last.rowNumber : null };
}

/** Every row of a batch in row order, `batch` rows per query (downloads, the CLI's output file). */
export async function* iterateBatchRows(db: Db, batchId: string, batch = 500): AsyncGenerator<BatchRow> {
  let after = 0;
  for (;;) {
    const rows = await db.batchRow.findMany({
      where: { batchId, rowNumber: { gt: after } },
      orderBy: { rowNumber: "asc" },
      take: batch,
      select: ROW_SELECT,
    });
    for (const row of rows) yield batchRow(batchId, row);
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.rowNumber;
  }
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
  return rows.map((r) => ({ rowNumber: r.rowNumber, key: r.key, input: readInput(batchId, r) }));
}
