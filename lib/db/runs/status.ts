// A run's status lifecycle as the runners see it: claimed (queued or running → running), cancelled,
// picked up again after a restart; and removed.
import { audited } from "../audit";
import type { Db, Tx } from "../client";
import {
  ACTIVE_RUN_STATUSES,
  type RunRecord,
  type RunStatus,
  readRunStatus,
  runRecord,
  withTask,
} from "./records";
import type { RunAudit } from "./writes";

/** The status of a run, or null when there is no such run. */
export async function getRunStatus(db: Db, id: string): Promise<RunStatus | null> {
  const row = await db.optimizationRun.findUnique({ where: { id }, select: { status: true } });
  return row ? readRunStatus(row.status, id) : null;
}

/** The project a run belongs to, or null when there is no such run. */
export async function getRunProjectId(db: Db, id: string): Promise<string | null> {
  const row = await db.optimizationRun.findUnique({ where: { id }, select: { projectId: true } });
  return row?.projectId ?? null;
}

/**
 * Moves a queued or running run to "running" (keeping its first start time) and returns true; returns
 * false, changing nothing, when the run is finished or cancelled. Called each time a runner picks the
 * run up, including when it resumes or replays it.
 */
export async function claimRun(db: Db, id: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const run = await tx.optimizationRun.findUnique({ where: { id }, select: { startedAt: true } });
    if (!run) return false;
    const { count } = await tx.optimizationRun.updateMany({
      where: { id, status: { in: ACTIVE_RUN_STATUSES } },
      data: { status: "running", startedAt: run.startedAt ?? new Date(), finishedAt: null },
    });
    return count > 0;
  });
}

/**
 * Marks a queued or running run cancelled (now); false when it had already finished. With `audit`, the
 * change commits together with its "run.cancelled" entry (none when nothing changed).
 */
export async function markRunCancelled(db: Db, id: string, audit?: RunAudit): Promise<boolean> {
  const cancel = async (client: Db | Tx) =>
    (
      await client.optimizationRun.updateMany({
        where: { id, status: { in: ACTIVE_RUN_STATUSES } },
        data: { status: "cancelled", finishedAt: new Date() },
      })
    ).count > 0;
  if (!audit) return cancel(db);
  return audited(db, audit.actor, async (tx) => {
    const before = await tx.optimizationRun.findUnique({
      where: { id },
      select: { projectId: true, status: true, task: { select: { name: true } } },
    });
    const cancelled = before ? await cancel(tx) : false;
    return {
      result: cancelled,
      audit:
        cancelled && before
          ? {
              action: "run.cancelled",
              organizationId: audit.organizationId,
              projectId: before.projectId,
              targetType: "run",
              targetId: id,
              targetLabel: before.task.name,
              before: { status: before.status },
              after: { status: "cancelled" },
            }
          : null,
    };
  });
}

/** Runs still queued or running (every project), oldest first: what a restarted runner picks up. */
export async function listUnfinishedRuns(db: Db): Promise<RunRecord[]> {
  const rows = await db.optimizationRun.findMany({
    where: { status: { in: ACTIVE_RUN_STATUSES } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: withTask,
  });
  return rows.map(runRecord);
}

/** Step ids of a run's finished steps, in the order they finished. */
export async function listCheckpointIds(db: Db, runId: string): Promise<string[]> {
  const rows = await db.stepCheckpoint.findMany({
    where: { runId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { stepId: true },
  });
  return rows.map((r) => r.stepId);
}

/** Deletes a run and, by cascade, its iterations, candidates, results and checkpoints. */
export async function deleteRun(db: Db, id: string): Promise<boolean> {
  const { count } = await db.optimizationRun.deleteMany({ where: { id } });
  return count > 0;
}
