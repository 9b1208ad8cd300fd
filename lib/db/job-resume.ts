// Reopening a stopped job: a failed or cancelled run or batch goes back to "queued" (its error and failed
// step cleared, everything it finished kept: checkpoints, results, rows done, counters), together with its
// audit entry, so that a runner can pick it up again.
import { type AuditActor, appendAudit } from "./audit";
import type { Db } from "./client";

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

/** Moves failed or cancelled run `id` back to queued, audited as "run.resumed" when `audit` is given. */
export function reopenRun(db: Db, id: string, audit?: JobAudit): Promise<ReopenResult> {
  return db.$transaction(async (tx) => {
    const run = await tx.optimizationRun.findUnique({
      where: { id },
      select: { status: true, projectId: true, task: { select: { name: true } } },
    });
    if (!run) return { outcome: "missing" } as const;
    if (!isResumableStatus(run.status)) return { outcome: "not-resumable", from: run.status } as const;
    const { count } = await tx.optimizationRun.updateMany({
      where: { id, status: run.status },
      data: REOPENED,
    });
    // Someone else moved it meanwhile (a second resume): report what it is now.
    if (count === 0) return { outcome: "not-resumable", from: "queued" } as const;
    if (audit)
      await appendAudit(tx, audit.actor, {
        action: "run.resumed",
        organizationId: audit.organizationId,
        projectId: run.projectId,
        targetType: "run",
        targetId: id,
        targetLabel: run.task.name,
        before: { status: run.status },
        after: { status: "queued" },
      });
    return { outcome: "reopened", from: run.status } as const;
  });
}

/** Moves failed or cancelled batch `id` back to queued, audited as "batch.resumed" when `audit` is given. */
export function reopenBatch(db: Db, id: string, audit?: JobAudit): Promise<ReopenResult> {
  return db.$transaction(async (tx) => {
    const batch = await tx.batchJob.findUnique({
      where: { id },
      select: { status: true, projectId: true, sourceName: true },
    });
    if (!batch) return { outcome: "missing" } as const;
    if (!isResumableStatus(batch.status)) return { outcome: "not-resumable", from: batch.status } as const;
    const { count } = await tx.batchJob.updateMany({ where: { id, status: batch.status }, data: REOPENED });
    if (count === 0) return { outcome: "not-resumable", from: "queued" } as const;
    if (audit)
      await appendAudit(tx, audit.actor, {
        action: "batch.resumed",
        organizationId: audit.organizationId,
        projectId: batch.projectId,
        targetType: "batch",
        targetId: id,
        targetLabel: batch.sourceName,
        before: { status: batch.status },
        after: { status: "queued" },
      });
    return { outcome: "reopened", from: batch.status } as const;
  });
}
