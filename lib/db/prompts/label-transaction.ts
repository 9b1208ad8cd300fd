// How every label change runs: one transaction that reads the label, decides, and writes the label by
// compare-and-set on its current version (and protection), its history entry and its audit entry. When
// the compare-and-set finds the label changed by a concurrent transaction — or the database reports a
// conflict (SQLite busy, PostgreSQL serialization failure or deadlock, a unique key taken by a concurrent
// add) — the whole transaction is tried again from the start, so decisions are always made on the state
// that is written over. After MAX_ATTEMPTS the caller gets a 409 to retry.
import { ConflictError } from "@/lib/core/errors";
import type { Db, Tx } from "../client";
import { isTransientDbError } from "../transient";
import { isUniqueViolation } from "../util";
import { LabelRaceLost } from "./label-errors";

const MAX_ATTEMPTS = 25;

function isLabelRace(error: unknown): boolean {
  return error instanceof LabelRaceLost || isUniqueViolation(error) || isTransientDbError(error);
}

/** Runs `change` in a transaction, again while it loses races (see above). */
export async function labelTransaction<T>(db: Db, change: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(change, { maxWait: 15_000, timeout: 30_000 });
    } catch (error) {
      if (!isLabelRace(error)) throw error;
      if (attempt >= MAX_ATTEMPTS)
        throw new ConflictError("the label kept changing while this change was made; retry the request");
      // Jittered backoff: racing writers spread out instead of colliding again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 4 * attempt ** 2)));
    }
  }
}

/**
 * When the next history entry of a label is written: now, or just after the label's newest entry when
 * the clock says otherwise (several instances, equal milliseconds). Every change of one label rewrites
 * its row under compare-and-set after this read, so a label's entries are strictly ordered by time.
 */
export async function nextEventTime(tx: Tx, taskId: string, label: string): Promise<Date> {
  const last = await tx.promptLabelEvent.findFirst({
    where: { taskId, label },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { createdAt: true },
  });
  const now = new Date();
  return last && last.createdAt.getTime() >= now.getTime() ? new Date(last.createdAt.getTime() + 1) : now;
}
