// Reading batches: one batch, a project's batches page by page, and the rows a batch skipped.
import type { Db } from "../client";
import { keysetPage, type Page, type PageCursor } from "../pagination";
import { type BatchJobStatus, type BatchRecord, batchRecord, readBatchStatus, withRefs } from "./records";
import { SHOWN_ISSUES } from "./write";

export async function getBatchRecord(db: Db, id: string): Promise<BatchRecord | null> {
  const row = await db.batchJob.findUnique({ where: { id }, include: withRefs });
  return row ? batchRecord(row) : null;
}

/** A batch only when it belongs to `projectId`. */
export async function getProjectBatch(db: Db, projectId: string, id: string): Promise<BatchRecord | null> {
  const row = await db.batchJob.findFirst({ where: { id, projectId }, include: withRefs });
  return row ? batchRecord(row) : null;
}

export async function getBatchStatus(db: Db, id: string): Promise<BatchJobStatus | null> {
  const row = await db.batchJob.findUnique({ where: { id }, select: { status: true } });
  return row ? readBatchStatus(row.status, id) : null;
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
    return rows.map(batchRecord);
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
      orderBy: [{ rowNumber: "asc" }, { line: "asc" }, { id: "asc" }],
      take: limit,
      select: { rowNumber: true, line: true, message: true },
    }),
    db.batchIssue.count({ where: { batchId } }),
  ]);
  return { items: rows.map((r) => ({ row: r.rowNumber, line: r.line, message: r.message })), count };
}
