// Feedback written in batches (a group commit): the rows of many submissions inserted by one multi-row
// statement, i.e. one write transaction. Idempotency holds as for one row (feedback.ts): a key seen
// before answers its first row; a key twice in the batch is written once and answers the first; a key
// another process wrote meanwhile makes the multi-row insert fail on the unique index, and the batch
// then falls back to one insert per row — which also isolates a row that fails on its own, so the
// others are still written.
import { randomUUID } from "node:crypto";
import type { Db } from "../client";
import { insertValues } from "../raw-insert";
import { type FeedbackRecord, type FeedbackTarget, type NewFeedback, recordFeedback } from "./feedback";

export interface FeedbackWrite {
  target: FeedbackTarget;
  input: NewFeedback;
}

export type FeedbackWriteResult =
  | { ok: true; feedback: FeedbackRecord; replayed: boolean }
  | { ok: false; error: unknown };

export interface FeedbackBatchResult {
  results: FeedbackWriteResult[];
  /** Write transactions issued: 1 for a batch, one per row after a fallback (0: all replays). */
  transactions: number;
}

const keyOf = (w: FeedbackWrite) =>
  w.input.idempotencyKey === null ? null : `${w.target.projectId}\u0000${w.input.idempotencyKey}`;

const asRecord = (row: Omit<FeedbackRecord, "source"> & { source: string }): FeedbackRecord => ({
  ...row,
  source: row.source as FeedbackRecord["source"],
});

const FEEDBACK_COLUMNS = [
  "id",
  "projectId",
  "generationId",
  "exposureId",
  "experimentId",
  "versionId",
  "name",
  "value",
  "category",
  "comment",
  "correction",
  "source",
  "idempotencyKey",
  "actorLabel",
  "createdAt",
] as const satisfies readonly (keyof FeedbackRecord)[];

/**
 * One multi-row INSERT (../raw-insert.ts): a createMany(AndReturn)'s plan, compiled anew for every group
 * commit of a hundred rows, cost tens of milliseconds of the server's one thread. The rows are known, so
 * nothing needs to be read back.
 */
const insertFeedback = (db: Db, rows: FeedbackRecord[]) =>
  insertValues(
    db,
    "Feedback",
    FEEDBACK_COLUMNS,
    rows.map((r) => FEEDBACK_COLUMNS.map((column) => r[column])),
  );

/** Writes `writes` (see the file's comment); the results are in the order of `writes`. */
export async function recordFeedbackBatch(db: Db, writes: FeedbackWrite[]): Promise<FeedbackBatchResult> {
  const results: FeedbackWriteResult[] = new Array(writes.length);
  // The first write of each key leads; later ones in the batch answer its row.
  const leaderOf = new Map<string, number>();
  const followers: [number, number][] = [];
  writes.forEach((w, i) => {
    const key = keyOf(w);
    if (key === null) return;
    const leader = leaderOf.get(key);
    if (leader === undefined) leaderOf.set(key, i);
    else followers.push([i, leader]);
  });
  // List parameters, whatever the batch's size: Prisma compiles this statement's plan once, and the
  // unique index on (projectId, idempotencyKey) answers it. (A row whose project and key were each asked
  // for, but not together, is left out by the lookup below.)
  const keyed = writes.filter((w) => w.input.idempotencyKey !== null);
  const seen = keyed.length
    ? await db.feedback.findMany({
        where: {
          projectId: { in: [...new Set(keyed.map((w) => w.target.projectId))] },
          idempotencyKey: { in: [...new Set(keyed.map((w) => w.input.idempotencyKey as string))] },
        },
      })
    : [];
  const firstByKey = new Map(seen.map((row) => [`${row.projectId}\u0000${row.idempotencyKey}`, row]));
  const fresh: { index: number; id: string }[] = [];
  writes.forEach((w, i) => {
    const key = keyOf(w);
    if (key !== null && leaderOf.get(key) !== i) return;
    const first = key === null ? undefined : firstByKey.get(key);
    if (first) results[i] = { ok: true, feedback: asRecord(first), replayed: true };
    else fresh.push({ index: i, id: randomUUID() });
  });

  let transactions = 0;
  if (fresh.length > 0) {
    try {
      transactions += 1;
      const createdAt = new Date();
      const rows = fresh.map(({ index, id }): FeedbackRecord => {
        const { target, input } = writes[index] as FeedbackWrite;
        return { id, ...target, ...input, createdAt };
      });
      await insertFeedback(db, rows);
      fresh.forEach(({ index }, i) => {
        results[index] = { ok: true, feedback: rows[i] as FeedbackRecord, replayed: false };
      });
    } catch {
      // One row (a key taken meanwhile, a value the database refuses) must not fail the others.
      for (const { index } of fresh) {
        const w = writes[index] as FeedbackWrite;
        transactions += 1;
        try {
          results[index] = { ok: true, ...(await recordFeedback(db, w.target, w.input)) };
        } catch (error) {
          results[index] = { ok: false, error };
        }
      }
    }
  }
  for (const [i, leader] of followers) {
    const first = results[leader];
    results[i] = first?.ok
      ? { ok: true, feedback: first.feedback, replayed: true }
      : (first as FeedbackWriteResult);
  }
  return { results, transactions };
}
