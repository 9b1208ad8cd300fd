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
import { AppError, ConflictError, NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  finishActiveBatch,
  finishActiveRun,
  getBatchRecord,
  getProjectBatch,
  getRun,
  type JobAudit,
  type ReopenResult,
  reopenBatch,
  reopenRun,
} from "@/lib/db";
import { parseModelId } from "@/lib/llm/model-id";
import { activeRunner, dispatchBatch, dispatchRun, type RunnerName, stoppedHere } from "@/lib/runner/index";
import { modelConfigSchema } from "@/lib/validation/task-file";
import { embeddedBatchExecutor } from "./batch-execution";
import type { JobKind } from "./job-errors";
import { parseStoredConfig } from "./run-execution";
import { requireProjectRun } from "./run-reads";
import { embeddedExecutor, type RunServiceOptions } from "./runs";

export interface ResumedJob {
  id: string;
  status: "queued";
  runner: RunnerName;
  /** The status it was resumed from. */
  resumedFrom: "failed" | "cancelled";
}

/** Options of both kinds: where it is dispatched, and who asked (the API audits it). */
export type ResumeOptions = Pick<RunServiceOptions, "runner" | "env"> & {
  dispatch?: (target: { id: string; projectId: string; provider: string }) => Promise<void>;
  audit?: JobAudit;
};

function reopened(kind: JobKind, id: string, result: ReopenResult): "failed" | "cancelled" {
  if (result.outcome === "missing") throw new NotFoundError(`no ${kind} with id "${id}"`);
  if (result.outcome === "not-resumable") {
    const hint =
      result.from === "succeeded"
        ? "it has nothing left to do"
        : `it is already ${result.from === "queued" ? "queued" : "running"}`;
    throw new ConflictError(
      `${kind} ${id} is ${result.from}: only a failed or cancelled ${kind} can be resumed (${hint})`,
      { status: result.from },
    );
  }
  return result.from;
}

/** The task model's provider (Inngest's concurrency key); "unknown" when the stored model does not parse. */
function providerOf(modelId: () => string): string {
  try {
    return parseModelId(modelId()).provider;
  } catch {
    return "unknown";
  }
}

async function handOver(
  kind: JobKind,
  id: string,
  runner: RunnerName,
  dispatch: () => Promise<void>,
  fail: (reason: string) => Promise<unknown>,
): Promise<void> {
  try {
    await dispatch();
  } catch (error) {
    const reason = `could not hand the ${kind} to ${runner}: ${(error as Error).message}`;
    await fail(reason);
    throw new AppError("runner_unavailable", reason, 503, { [`${kind}Id`]: id });
  }
}

/** Resumes failed or cancelled run `runId` on the active runner (or `options.dispatch`). */
export async function resumeRun(db: Db, runId: string, options: ResumeOptions = {}): Promise<ResumedJob> {
  // Its previous execution in this process must have let go of it first.
  await stoppedHere(runId);
  const from = reopened("run", runId, await reopenRun(db, runId, options.audit));
  const run = await getRun(db, runId);
  if (!run) throw new NotFoundError(`no run with id "${runId}"`);
  const runner = options.runner ?? activeRunner(options.env ?? process.env);
  const target = {
    runId,
    projectId: run.projectId,
    provider: providerOf(() => parseStoredConfig(run).models.task.id),
  };
  await handOver(
    "run",
    runId,
    runner,
    () =>
      options.dispatch
        ? options.dispatch({ id: runId, projectId: target.projectId, provider: target.provider })
        : dispatchRun(target, embeddedExecutor(db), runner).then(() => {}),
    (reason) => finishActiveRun(db, runId, { status: "failed", error: reason, failedStep: null }),
  );
  return { id: runId, status: "queued", runner, resumedFrom: from };
}

/** Resumes failed or cancelled batch `batchId` on the active runner (or `options.dispatch`). */
export async function resumeBatch(db: Db, batchId: string, options: ResumeOptions = {}): Promise<ResumedJob> {
  await stoppedHere(batchId);
  const from = reopened("batch", batchId, await reopenBatch(db, batchId, options.audit));
  const batch = await getBatchRecord(db, batchId);
  if (!batch) throw new NotFoundError(`no batch with id "${batchId}"`);
  const runner = options.runner ?? activeRunner(options.env ?? process.env);
  const target = {
    batchId,
    projectId: batch.projectId,
    provider: providerOf(() => modelConfigSchema.parse(batch.model).id),
  };
  await handOver(
    "batch",
    batchId,
    runner,
    () =>
      options.dispatch
        ? options.dispatch({ id: batchId, projectId: target.projectId, provider: target.provider })
        : dispatchBatch(target, embeddedBatchExecutor(db), runner).then(() => {}),
    (reason) => finishActiveBatch(db, batchId, { status: "failed", error: reason }),
  );
  return { id: batchId, status: "queued", runner, resumedFrom: from };
}

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
export async function reopenStoppedRun(db: Db, runId: string): Promise<boolean> {
  return (await reopenRun(db, runId)).outcome === "reopened";
}

/** `reopenStoppedRun` for a batch (`strop batch --resume`). */
export async function reopenStoppedBatch(db: Db, batchId: string): Promise<boolean> {
  return (await reopenBatch(db, batchId)).outcome === "reopened";
}
