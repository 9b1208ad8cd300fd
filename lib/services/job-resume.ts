// Resuming a stopped run or batch: a failed or cancelled job goes back to "queued" and to the active
// runner, which continues it where it stopped — a run from its last finished step (checkpoints), a batch
// with its rows not done yet. Everything it finished stays and is not paid for again.
//
// Which jobs can resume: failed ones (an error stopped them: the database stayed unavailable, the error
// budget was spent while a provider was down, the runner could not be reached) and cancelled ones (a
// person stopped them; resuming is the same person's or a colleague's explicit choice to spend again).
// Queued and running jobs are already on their way (409); a job left "running" by a process that died
// is resumed when the app starts again (or by `strop runs resume` / `strop batch --resume` for the
// CLI's). Succeeded jobs have nothing left to do (409).
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import { type AuditActor, type Db, getProjectBatch, type JobAudit, type ReopenResult } from "@/lib/db";
import type { AnyJobKind, JobTarget } from "@/lib/runner/job-kind";
import { type RunnerName, stoppedHere } from "@/lib/runner/runner-choice";
import { batchJob, type HandOverOptions, handOverJob, optimizationRunJob } from "./jobs";
import { requireProjectRun } from "./runs/reads";

export interface ResumedJob {
  id: string;
  status: "queued";
  runner: RunnerName;
  /** The status it was resumed from. */
  resumedFrom: "failed" | "cancelled";
}

/** Options of every kind: where it is dispatched, and who asked (the API audits it). */
export type ResumeOptions = Pick<HandOverOptions, "runner" | "env"> & {
  dispatch?: (target: JobTarget) => Promise<void>;
  audit?: JobAudit;
};

function reopened(noun: string, id: string, result: ReopenResult): "failed" | "cancelled" {
  if (result.outcome === "missing") throw new NotFoundError(`no ${noun} with id "${id}"`);
  if (result.outcome === "not-resumable") {
    const hint =
      result.from === "succeeded"
        ? "it has nothing left to do"
        : `it is already ${result.from === "queued" ? "queued" : "running"}`;
    throw new ConflictError(
      `${noun} ${id} is ${result.from}: only a failed or cancelled ${noun} can be resumed (${hint})`,
      { status: result.from },
    );
  }
  return result.from;
}

/** Resumes failed or cancelled job `id` of `kind` on the active runner (or `options.dispatch`). */
export async function resumeJob(
  kind: AnyJobKind,
  db: Db,
  id: string,
  options: ResumeOptions = {},
): Promise<ResumedJob> {
  // Its previous execution in this process must have let go of it first.
  await stoppedHere(id);
  const from = reopened(kind.noun, id, await kind.store.reopen(db, id, options.audit));
  const target = await kind.store.target(db, id);
  if (!target) throw new NotFoundError(`no ${kind.noun} with id "${id}"`);
  const runner = await handOverJob(kind, db, target, options);
  return { id, status: "queued", runner, resumedFrom: from };
}

/** Resumes failed or cancelled run `runId` on the active runner (or `options.dispatch`). */
export const resumeRun = (db: Db, runId: string, options: ResumeOptions = {}) =>
  resumeJob(optimizationRunJob, db, runId, options);

/** Resumes failed or cancelled batch `batchId` on the active runner (or `options.dispatch`). */
export const resumeBatch = (db: Db, batchId: string, options: ResumeOptions = {}) =>
  resumeJob(batchJob, db, batchId, options);

const auditOf = (access: ProjectAccess, actor: AuditActor): JobAudit => ({
  actor,
  organizationId: access.project.organization.id,
});

/** POST …/runs/{run}/resume: `resumeRun` for a run of the caller's project (else 404), audited. */
export async function resumeProjectRun(
  db: Db,
  access: ProjectAccess,
  runId: string,
  actor: AuditActor,
  options: Omit<ResumeOptions, "audit"> = {},
): Promise<ResumedJob> {
  await requireProjectRun(db, access, runId);
  return resumeRun(db, runId, { ...options, audit: auditOf(access, actor) });
}

/** POST …/batches/{batch}/resume: `resumeBatch` for a batch of the caller's project (else 404), audited. */
export async function resumeProjectBatch(
  db: Db,
  access: ProjectAccess,
  batchId: string,
  actor: AuditActor,
  options: Omit<ResumeOptions, "audit"> = {},
): Promise<ResumedJob> {
  const batch = batchId.length <= 100 ? await getProjectBatch(db, access.project.id, batchId) : null;
  if (!batch) throw new NotFoundError(`no batch "${batchId}" in this project`);
  return resumeBatch(db, batch.id, { ...options, audit: auditOf(access, actor) });
}

/**
 * For the CLI, which executes the job in its own process: a failed or cancelled run back to "queued"
 * (not dispatched). True when it was reopened; a queued or running run (one whose process stopped) is
 * left as it is for the caller to continue, a finished one to be shown.
 */
export async function reopenStoppedRun(db: Db, runId: string, audit?: JobAudit): Promise<boolean> {
  return (await optimizationRunJob.store.reopen(db, runId, audit)).outcome === "reopened";
}

/** `reopenStoppedRun` for a batch (`strop batch --resume`). */
export async function reopenStoppedBatch(db: Db, batchId: string, audit?: JobAudit): Promise<boolean> {
  return (await batchJob.store.reopen(db, batchId, audit)).outcome === "reopened";
}
