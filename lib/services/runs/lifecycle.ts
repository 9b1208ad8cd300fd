// A run after it started: cancel it, save its winner as a prompt version, resume the app's unfinished
// runs when it starts.
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  getRun,
  getSavedWinnerVersion,
  type LabelRecord,
  markRunCancelled,
  saveRunWinnerAndLabel,
  saveRunWinnerVersion,
} from "@/lib/db";
import type { CancelledRun, SavedWinner } from "@/lib/validation/runs";
import { optimizationRunJob, stopCancelledJob } from "../jobs";
import { winnerNote } from "../run-execution";
import { servedPromptChanged } from "../serving/invalidation";
import { auditOf, type RunServiceOptions } from "./create";
import { hasWinner, requireProjectRun } from "./reads";

export type { CancelledRun, SavedWinner };

/**
 * Cancels a queued or running run: marks it cancelled (what it finished stays readable), aborts it when
 * it runs in this process, and with Inngest sends `strop/run.cancel`. Runs executing in another
 * process stop before their next step. A finished run cannot be cancelled (ConflictError); cancelling
 * a cancelled run again is a no-op.
 */
export async function cancelOptimizationRun(
  db: Db,
  runId: string,
  options: RunServiceOptions = {},
): Promise<CancelledRun> {
  const run = await getRun(db, runId);
  if (!run) throw new NotFoundError(`no run with id "${runId}"`);
  if (run.status === "cancelled") return { id: runId, status: "cancelled" };
  if (!(await markRunCancelled(db, runId, options.audit))) {
    const status = (await getRun(db, runId))?.status ?? run.status;
    if (status === "cancelled") return { id: runId, status };
    throw new ConflictError(`run ${runId} already ${status}; only queued or running runs can be cancelled`);
  }
  await stopCancelledJob(optimizationRunJob, runId, options);
  return { id: runId, status: "cancelled" };
}

/** POST …/runs/{run}/cancel: `cancelOptimizationRun` for a run of the caller's project (else 404). */
export async function cancelProjectRun(
  db: Db,
  access: ProjectAccess,
  runId: string,
  actor: AuditActor,
  options: RunServiceOptions = {},
): Promise<CancelledRun> {
  await requireProjectRun(db, access, runId);
  return cancelOptimizationRun(db, runId, { ...options, audit: auditOf(access, actor) });
}

/**
 * Saves the winner of a succeeded optimization run as a new prompt version of its task (source
 * "optimization", linked to the run) and makes it the run's best version, audited as
 * "run.winner_saved" — and, with `labelAs`, points that label at it (citing the run), in the same
 * transaction. ConflictError (409) when the run has no winner (not succeeded, an evaluation, or
 * the baseline stayed best) or when its winner is already saved (the details name that version).
 */
export async function saveRunWinner(
  db: Db,
  access: ProjectAccess,
  runId: string,
  actor: AuditActor,
  labelAs?: WinnerLabel,
): Promise<SavedWinner & { label: LabelRecord | null }> {
  const run = await requireProjectRun(db, access, runId);
  if (run.kind !== "optimize") throw new ConflictError(`run ${runId} is an evaluation: it has no winner`);
  if (run.status !== "succeeded")
    throw new ConflictError(`run ${runId} is ${run.status}; only a succeeded run's winner can be saved`);
  const saved = await getSavedWinnerVersion(db, runId);
  if (saved !== null)
    throw new ConflictError(`the winner of run ${runId} is already saved as version ${saved}`, {
      version: saved,
    });
  const report = run.report;
  if (!hasWinner(run) || report?.kind !== "optimize")
    throw new ConflictError(`run ${runId} has no winner: no candidate beat the baseline`);
  const input = {
    runId,
    organizationId: access.project.organization.id,
    content: report.best,
    note: winnerNote(runId, report),
  };
  // A new version changes what `latest` serves; a label, what it names.
  const served = { projectId: access.project.id, taskName: run.taskName };
  if (!labelAs) {
    const version = await saveRunWinnerVersion(db, input, actor);
    servedPromptChanged(served);
    return { id: version.id, version: version.version, label: null };
  }
  // The save and the label move commit together: a refused move (protected label, changed variables)
  // leaves the winner unsaved, so the request can simply be repeated.
  const scope = {
    projectId: access.project.id,
    organizationId: access.project.organization.id,
    taskId: run.taskId,
    taskName: run.taskName,
  };
  const labelled = await saveRunWinnerAndLabel(db, input, actor, scope, {
    label: labelAs.label,
    reason: labelAs.reason || `Winner of run ${runId}`,
    evaluationRunId: runId,
    confirmVariableChange: labelAs.confirmVariableChange,
  });
  servedPromptChanged(served);
  return { id: labelled.version.id, version: labelled.version.version, label: labelled.label.label };
}

/** Label the saved winner: POST …/runs/{run}/winner `{ label, reason?, confirmVariableChange? }`. */
export interface WinnerLabel {
  label: string;
  reason: string;
  confirmVariableChange: boolean;
}

/**
 * On app start: the app's unfinished runs continue from their last finished step (the CLI's are left to
 * `strop runs resume`); see `resumeUnfinishedJobs` (lib/services/jobs).
 */
export { resumeUnfinishedRuns } from "../jobs";
