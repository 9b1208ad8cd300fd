// A job kind that exists for tests only: a "sleepy counter" whose steps each nap a little, then add one
// to a counter stored in the database, until it reaches its target. It proves what adding a kind takes:
// this one file (its table, store, steps, Inngest events, flow control and live events) plus one entry
// in a registry list — the engine derives dispatch, leases, cancel, resume, the Inngest function and the
// event stream. Its table is created by the test (`createSleepyCounterTable`), not by a migration.
import type { Db } from "@/lib/db";
import { executeJob } from "@/lib/runner/job-execution";
import {
  isTerminalJobStatus,
  type JobKind,
  type JobOutcome,
  type JobStatus,
  type JobStore,
  type JobStreamProjection,
} from "@/lib/runner/job-kind";

interface CounterRow {
  id: string;
  projectId: string;
  status: JobStatus;
  target: number;
  count: number;
  error: string | null;
  failedStep: string | null;
  origin: string;
}

export interface CounterOutcome extends JobOutcome {
  count: number;
}

/** How long each step naps before it counts (ms). */
export const NAP_MS = 20;

/** The counter's table (SQLite and PostgreSQL alike). */
export async function createSleepyCounterTable(db: Db): Promise<void> {
  await db.$executeRaw`CREATE TABLE IF NOT EXISTS "SleepyCounter" ("id" TEXT PRIMARY KEY, "projectId" TEXT NOT NULL,
    "status" TEXT NOT NULL, "target" INTEGER NOT NULL, "count" INTEGER NOT NULL DEFAULT 0, "error" TEXT,
    "failedStep" TEXT, "origin" TEXT NOT NULL DEFAULT 'app')`;
}

/** Stores a queued counter that counts to `target` (or one already at `count`, as a crash leaves it). */
export async function storeCounter(
  db: Db,
  counter: { id: string; target: number; count?: number; status?: JobStatus },
): Promise<void> {
  await db.$executeRaw`INSERT INTO "SleepyCounter" ("id", "projectId", "status", "target", "count")
    VALUES (${counter.id}, ${"project-1"}, ${counter.status ?? "queued"}, ${counter.target}, ${counter.count ?? 0})`;
}

export async function readCounter(db: Db, id: string): Promise<CounterRow | null> {
  const rows = await db.$queryRaw<CounterRow[]>`SELECT * FROM "SleepyCounter" WHERE "id" = ${id}`;
  return rows[0] ? { ...rows[0], count: Number(rows[0].count), target: Number(rows[0].target) } : null;
}

/** Sets the status while it is one of `from`: true when it changed. */
async function move(db: Db, id: string, from: JobStatus[], to: Partial<CounterRow>): Promise<boolean> {
  const row = await readCounter(db, id);
  if (!row || !from.includes(row.status)) return false;
  const changed = await db.$executeRaw`UPDATE "SleepyCounter" SET "status" = ${to.status ?? row.status},
    "error" = ${to.error === undefined ? row.error : to.error},
    "failedStep" = ${to.failedStep === undefined ? row.failedStep : to.failedStep}
    WHERE "id" = ${id} AND "status" = ${row.status}`;
  return changed > 0;
}

const ACTIVE: JobStatus[] = ["queued", "running"];

const store: JobStore = {
  status: async (db, id) => (await readCounter(db, id))?.status ?? null,
  claim: (db, id) => move(db, id, ACTIVE, { status: "running" }),
  markCancelled: (db, id) => move(db, id, ACTIVE, { status: "cancelled" }),
  async markFailed(db, id, error, failedStep) {
    await move(db, id, ACTIVE, { status: "failed", error: (error as Error).message, failedStep });
  },
  async listUnfinished(db) {
    const rows = await db.$queryRaw<
      { id: string; origin: string }[]
    >`SELECT "id", "origin" FROM "SleepyCounter"
      WHERE "status" IN ('queued', 'running') ORDER BY "id"`;
    return rows.map((row) => ({ id: row.id, origin: row.origin === "cli" ? "cli" : "app" }));
  },
  async reopen(db, id) {
    const row = await readCounter(db, id);
    if (!row) return { outcome: "missing" };
    if (row.status !== "failed" && row.status !== "cancelled")
      return { outcome: "not-resumable", from: row.status };
    const from = row.status;
    const moved = await move(db, id, [from], { status: "queued", error: null, failedStep: null });
    return moved ? { outcome: "reopened", from } : { outcome: "not-resumable", from: "queued" };
  },
  async target(db, id) {
    const row = await readCounter(db, id);
    return row && { id, projectId: row.projectId, provider: "none" };
  },
};

async function outcomeOf(db: Db, id: string): Promise<CounterOutcome> {
  const row = await readCounter(db, id);
  if (!row) throw new Error(`no counter ${id}`);
  return {
    status: isTerminalJobStatus(row.status) ? row.status : "interrupted",
    error: row.error,
    failedStep: row.failedStep,
    count: row.count,
  };
}

const stream: JobStreamProjection<CounterRow, { status: JobStatus; count: number; target: number }> = {
  read: readCounter,
  progress: (row) => ({ status: row.status, count: row.count, target: row.target }),
  end: (row) => ({ status: row.status, count: row.count, error: row.error }),
};

export const sleepyCounterJob: JobKind<CounterOutcome, { counterId: string; status: string; count: number }> =
  {
    id: "sleepy-counter",
    noun: "counter",
    inngest: {
      functionId: "sleepy-counter",
      name: "Sleepy counter",
      events: {
        requested: "strop/test.sleepy-counter.requested",
        cancel: "strop/test.sleepy-counter.cancel",
        idField: "counterId",
      },
      flowControl: () => ({ concurrency: [{ key: "event.data.projectId", limit: 1 }], retries: 0 }),
    },
    store,
    resumesUnattended: (job) => job.origin === "app",
    checkpoints: "job-state",
    execute: (db, id, steps, signal, options) =>
      executeJob({
        noun: "counter",
        store,
        db,
        id,
        steps,
        signal,
        cancelPollMs: options?.cancelPollMs ?? 50,
        prepare: async () => (await readCounter(db, id)) as CounterRow,
        storedOutcome: () => outcomeOf(db, id),
        async run(counter, guarded) {
          for (let n = 0; n < counter.target; n++)
            await guarded.run(`tick-${n}`, async () => {
              await new Promise((resolve) => setTimeout(resolve, NAP_MS));
              // Counts step n once, however often its body runs (a resumed counter skips what it counted).
              await db.$executeRaw`UPDATE "SleepyCounter" SET "count" = ${n + 1} WHERE "id" = ${id} AND "count" = ${n}`;
              return { counted: n + 1 };
            });
          await move(db, id, ACTIVE, { status: "succeeded" });
          return outcomeOf(db, id);
        },
      }),
    functionResult: (counterId, outcome) => ({ counterId, status: outcome.status, count: outcome.count }),
    stream,
  };
