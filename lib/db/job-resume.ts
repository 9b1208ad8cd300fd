// Reopening a stopped job: a failed or cancelled run or batch goes back to "queued" (its error and failed
// step cleared, everything it finished kept: checkpoints, results, rows done, counters), together with its
// audit entry, so that a runner can pick it up again.
import { type AuditActor, appendAudit } from "./audit";
import type { Db, Tx } from "./client";

/** The statuses a job can be resumed from: it stopped before finishing, and nothing is executing it. */
export const RESUMABLE_STATUSES = ["failed", "cancelled"] as const;
export type ResumableStatus = (typeof RESUMABLE_STATUSES)[number];

export function isResumableStatus(status: string): status is ResumableStatus {
  return (RESUMABLE_STATUSES as readonly string[]).includes(status);
}

export interface JobAudit {
  actor: AuditActor;
  organizationId: string;
}

/**
 * What reopening found: "reopened" (now queued; `from` is the status it had), "not-resumable" (`from`
 * is its status, which is not failed or cancelled) or "missing".
 */
export type ReopenResult =
  | { outcome: "reopened"; from: ResumableStatus }
  | { outcome: "not-resumable"; from: string }
  | { outcome: "missing" };

const REOPENED = { status: "queued", error: null, failedStep: null, finishedAt: null } as const;

/** What reopening needs from a job's table. */
interface ReopenableTable {
  /** The job's status, project and the label its audit entry shows; null when there is none. */
  find(tx: Tx, id: string): Promise<{ status: string; projectId: string; label: string } | null>;
  /** Moves it to queued while it still has status `from`; the number of rows changed. */
  reopen(tx: Tx, id: string, from: string): Promise<number>;
  targetType: "run" | "batch";
}

function reopenJob(db: Db, table: ReopenableTable, id: string, audit?: JobAudit): Promise<ReopenResult> {
  return db.$transaction(async (tx) => {
    const job = await table.find(tx, id);
    if (!job) return { outcome: "missing" } as const;
    if (!isResumableStatus(job.status)) return { outcome: "not-resumable", from: job.status } as const;
    // Someone else moved it meanwhile (a second resume): report what it is now.
    if ((await table.reopen(tx, id, job.status)) === 0)
      return { outcome: "not-resumable", from: "queued" } as const;
    if (audit)
      await appendAudit(tx, audit.actor, {
        action: `${table.targetType}.resumed`,
        organizationId: audit.organizationId,
        projectId: job.projectId,
        targetType: table.targetType,
        targetId: id,
        targetLabel: job.label,
        before: { status: job.status },
        after: { status: "queued" },
      });
    return { outcome: "reopened", from: job.status } as const;
  });
}

const runs: ReopenableTable = {
  targetType: "run",
  async find(tx, id) {
    const run = await tx.optimizationRun.findUnique({
      where: { id },
      select: { status: true, projectId: true, task: { select: { name: true } } },
    });
    return run && { status: run.status, projectId: run.projectId, label: run.task.name };
  },
  reopen: async (tx, id, from) =>
    (await tx.optimizationRun.updateMany({ where: { id, status: from }, data: REOPENED })).count,
};

const batches: ReopenableTable = {
  targetType: "batch",
  async find(tx, id) {
    const batch = await tx.batchJob.findUnique({
      where: { id },
      select: { status: true, projectId: true, sourceName: true },
    });
    return batch && { status: batch.status, projectId: batch.projectId, label: batch.sourceName };
  },
  reopen: async (tx, id, from) =>
    (await tx.batchJob.updateMany({ where: { id, status: from }, data: REOPENED })).count,
};

/** Moves failed or cancelled run `id` back to queued, audited as "run.resumed" when `audit` is given. */
export const reopenRun = (db: Db, id: string, audit?: JobAudit): Promise<ReopenResult> =>
  reopenJob(db, runs, id, audit);

/** Moves failed or cancelled batch `id` back to queued, audited as "batch.resumed" when `audit` is given. */
export const reopenBatch = (db: Db, id: string, audit?: JobAudit): Promise<ReopenResult> =>
  reopenJob(db, batches, id, audit);
