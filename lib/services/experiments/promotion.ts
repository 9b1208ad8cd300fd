// Promoting an experiment's winner: the label moves to the winning version through the label service
// (audited, in the label's history, the serving caches told), acted by the experiment itself. A
// protected label is not moved: a change request is opened for an admin to approve instead. Safe to run
// again (the promotion job's step may): a label already on the winner stays, an open request is found.
import { OPERATOR, type ProjectAccess } from "@/lib/auth/principal";
import { AppError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  type ExperimentRecord,
  findRequestedLabelChange,
  getLabel,
  getProjectById,
} from "@/lib/db";
import { requestLabelChange } from "../prompts/change-requests";
import { moveTaskLabel } from "../prompts/labels";

/** The actor of what an experiment's analysis does on its own. */
export function experimentActor(record: Pick<ExperimentRecord, "name">): AuditActor {
  return { type: "system", id: null, label: `experiment "${record.name}"`.slice(0, 320) };
}

/** Owner access to the experiment's project for the analysis (which runs without a caller). */
export async function systemAccess(db: Db, projectId: string): Promise<ProjectAccess> {
  const project = await getProjectById(db, projectId);
  if (!project) throw new Error(`project ${projectId} is gone`);
  return { principal: OPERATOR, project, role: "owner" };
}

/** Moves the label to the winner (or requests it, when protected); returns what happened, for people. */
export async function promoteWinner(
  db: Db,
  record: ExperimentRecord,
  winnerIndex: number,
  reason: string,
): Promise<string> {
  const winner = record.variants[winnerIndex];
  if (!winner) return "not promoted: the winning variant is gone";
  // The decision was about the label as it was when the experiment stopped: a person who moved it since
  // (or a queued promotion that runs late, after the runner was down) must not be overridden.
  const label = await getLabel(db, record.taskId, record.label);
  // Already there (this promotion's step replayed after it moved the label): nothing to do again.
  if (label?.versionId === winner.versionId)
    return `label "${record.label}" moved to version ${winner.version}`;
  if (label && record.stoppedAt && label.updatedAt > record.stoppedAt)
    return `not promoted: label "${record.label}" changed after the experiment stopped (it points at version ${label.version}${label.updatedBy ? `, moved by ${label.updatedBy}` : ""}); move it by hand if version ${winner.version} should still win`;
  const access = await systemAccess(db, record.projectId);
  const actor = experimentActor(record);
  const why = `experiment "${record.name}": ${reason}`.slice(0, 500);
  try {
    await moveTaskLabel(
      db,
      access,
      record.taskName,
      record.label,
      {
        version: winner.version,
        reason: why,
        confirmVariableChange: false,
      },
      actor,
    );
    return `label "${record.label}" moved to version ${winner.version}`;
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 409) throw error;
    if (error.code !== "protected_label") return `not promoted: ${error.message}`;
  }
  const opened = await findRequestedLabelChange(db, {
    taskId: record.taskId,
    label: record.label,
    toVersionId: winner.versionId,
    requestedBy: actor.label,
    since: record.stoppedAt ?? record.createdAt,
  });
  const request = opened
    ? { id: opened }
    : await requestLabelChange(
        db,
        access,
        record.taskName,
        { label: record.label, version: winner.version, reason: why, confirmVariableChange: false },
        actor,
      );
  return `label "${record.label}" is protected: change request ${request.id} asks to move it to version ${winner.version}`;
}
