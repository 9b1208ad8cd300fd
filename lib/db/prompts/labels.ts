// Label changes: add or move, roll back, remove, protect and unprotect. Each is one transaction
// (label-transaction.ts) writing the label by compare-and-set, one history entry (PromptLabelEvent:
// append-only, nothing here updates or deletes one) and one audit entry; a move also marks the label's
// pending change requests stale. History entries of a label form an unbroken chain: each entry's
// `from` is the previous entry's `to`.
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import { changedVariableNames, requiredVariableChanges } from "@/lib/core/variables";
import type { LabelAction } from "@/lib/validation/prompt-labels";
import { type AuditActor, appendAudit } from "../audit";
import type { Db, Tx } from "../client";
import { LabelRaceLost, labelMovedError, protectedLabelError, variablesChangedError } from "./label-errors";
import {
  type LabelEventRecord,
  type LabelRecord,
  labelEventRecords,
  labelRecord,
  WITH_VERSION,
} from "./label-records";
import { labelTransaction, nextEventTime } from "./label-transaction";
import { promptVersionRecord } from "./versions";

/** The task a label belongs to, and what its audit entries name. */
export interface LabelScope {
  projectId: string;
  organizationId: string;
  taskId: string;
  taskName: string;
}

export interface LabelMove {
  label: string;
  toVersionId: string;
  reason: string;
  evaluationRunId?: string | null;
  /** Move even when the variables callers must send differ. */
  confirmVariableChange: boolean;
  /** Only if the label is on this version now (null: only if it does not exist); undefined: anywhere. */
  expectedVersionId?: string | null;
  /** Applying this approved change request: protected labels move, and it does not go stale. */
  changeRequestId?: string | null;
  action?: "moved" | "rolled_back";
}

export interface LabelChange {
  /** The label after the change; null once removed. */
  label: LabelRecord | null;
  /** The history entry written; null when nothing changed (already there). */
  event: LabelEventRecord | null;
}

const PENDING = ["open", "approved"];

function findLabel(tx: Tx, taskId: string, name: string) {
  return tx.promptLabel.findUnique({ where: { taskId_name: { taskId, name } }, include: WITH_VERSION });
}

async function versionOfTask(tx: Tx, taskId: string, id: string) {
  const row = await tx.promptVersion.findUnique({ where: { id } });
  if (!row || row.taskId !== taskId)
    throw new NotFoundError(`prompt version ${id} is not a version of this task`);
  return promptVersionRecord(row);
}

interface EventInput {
  action: LabelAction;
  fromVersionId: string | null;
  toVersionId: string | null;
  reason: string;
  evaluationRunId?: string | null;
  changeRequestId?: string | null;
  createdAt: Date;
}

/** Writes the history entry and the audit entry of a change, and reads the label as it is now. */
async function record(
  tx: Tx,
  actor: AuditActor,
  scope: LabelScope,
  label: string,
  event: EventInput,
): Promise<LabelChange> {
  const row = await tx.promptLabelEvent.create({
    data: {
      taskId: scope.taskId,
      label,
      action: event.action,
      fromVersionId: event.fromVersionId,
      toVersionId: event.toVersionId,
      actorType: actor.type,
      actorLabel: actor.label.slice(0, 320),
      reason: event.reason,
      evaluationRunId: event.evaluationRunId ?? null,
      changeRequestId: event.changeRequestId ?? null,
      createdAt: event.createdAt,
    },
  });
  const [entry] = await labelEventRecords(tx, [row]);
  await appendAudit(tx, actor, {
    action: `prompt.label_${event.action}`,
    organizationId: scope.organizationId,
    projectId: scope.projectId,
    targetType: "prompt_label",
    targetId: scope.taskId,
    targetLabel: `${scope.taskName}:${label}`,
    before: { version: entry!.fromVersion },
    after: {
      version: entry!.toVersion,
      reason: event.reason,
      evaluationRunId: event.evaluationRunId ?? null,
      changeRequestId: event.changeRequestId ?? null,
    },
  });
  const now = await findLabel(tx, scope.taskId, label);
  return { label: now ? labelRecord(now) : null, event: entry! };
}

/** Pending change requests of the label were made against where it was: they cannot apply any more. */
async function staleRequests(tx: Tx, taskId: string, label: string, except?: string | null): Promise<void> {
  await tx.labelChangeRequest.updateMany({
    where: { taskId, label, status: { in: PENDING }, ...(except ? { NOT: { id: except } } : {}) },
    data: { status: "stale" },
  });
}

/** `moveLabel` inside the caller's transaction (run it with `labelTransaction`). */
export async function moveLabelIn(
  tx: Tx,
  actor: AuditActor,
  scope: LabelScope,
  move: LabelMove,
): Promise<LabelChange> {
  const row = await findLabel(tx, scope.taskId, move.label);
  const current = row?.versionId ?? null;
  if (move.expectedVersionId !== undefined && current !== move.expectedVersionId)
    throw labelMovedError(move.label, row?.version.version ?? null);
  if (row?.protected && !move.changeRequestId) throw protectedLabelError(move.label, row.version.version);
  if (row && current === move.toVersionId) return { label: labelRecord(row), event: null };
  const target = await versionOfTask(tx, scope.taskId, move.toVersionId);
  if (row && !move.confirmVariableChange) {
    const from = await versionOfTask(tx, scope.taskId, row.versionId);
    const changed = changedVariableNames(requiredVariableChanges(from.variableSchema, target.variableSchema));
    if (changed.length > 0) throw variablesChangedError(move.label, from.version, target.version, changed);
  }
  const createdAt = await nextEventTime(tx, scope.taskId, move.label);
  if (row) {
    const swapped = await tx.promptLabel.updateMany({
      where: { id: row.id, versionId: row.versionId, protected: row.protected },
      data: { versionId: move.toVersionId, updatedBy: actor.label.slice(0, 320) },
    });
    if (swapped.count !== 1) throw new LabelRaceLost();
  } else {
    await tx.promptLabel.create({
      data: {
        projectId: scope.projectId,
        taskId: scope.taskId,
        name: move.label,
        versionId: move.toVersionId,
        updatedBy: actor.label.slice(0, 320),
      },
    });
  }
  await staleRequests(tx, scope.taskId, move.label, move.changeRequestId);
  return record(tx, actor, scope, move.label, {
    action: row ? (move.action ?? "moved") : "added",
    fromVersionId: current,
    toVersionId: move.toVersionId,
    reason: move.reason,
    evaluationRunId: move.evaluationRunId,
    changeRequestId: move.changeRequestId,
    createdAt,
  });
}

/**
 * Points the label at a version (adding it when the task has no such label), with its history and
 * audit entries, by compare-and-set. A protected label is refused (409 protected_label: use a change
 * request); so is a move that changes the variables callers must send, unless confirmed (409
 * variables_changed); and one whose label is not at `expectedVersionId` (409). Already there: no entry.
 */
export function moveLabel(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  move: LabelMove,
): Promise<LabelChange> {
  return labelTransaction(db, (tx) => moveLabelIn(tx, actor, scope, move));
}

/**
 * Where a rollback goes, from a label's history oldest first: forward moves stack up, a rollback takes
 * the top off, adding starts a new stack and removing empties it. The version below the top, or null.
 */
export function rollbackTarget(
  events: readonly { action: string; toVersionId: string | null }[],
): string | null {
  let stack: string[] = [];
  for (const event of events) {
    if (event.action === "added" && event.toVersionId) stack = [event.toVersionId];
    else if (event.action === "moved" && event.toVersionId) stack.push(event.toVersionId);
    else if (event.action === "rolled_back" && event.toVersionId) {
      stack.pop();
      if (stack.at(-1) !== event.toVersionId) stack.push(event.toVersionId);
    } else if (event.action === "removed") stack = [];
  }
  return stack.length >= 2 ? stack[stack.length - 2]! : null;
}

/** Moves the label back to the version it pointed at before its current one (see rollbackTarget). */
export function rollbackLabel(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  input: { label: string; reason: string; confirmVariableChange: boolean },
): Promise<LabelChange> {
  return labelTransaction(db, async (tx) => {
    const row = await findLabel(tx, scope.taskId, input.label);
    if (!row) throw new NotFoundError(`task "${scope.taskName}" has no label "${input.label}"`);
    if (row.protected) throw protectedLabelError(input.label, row.version.version);
    const history = await tx.promptLabelEvent.findMany({
      where: { taskId: scope.taskId, label: input.label },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { action: true, toVersionId: true },
    });
    const target = rollbackTarget(history);
    if (!target)
      throw new ConflictError(`label "${input.label}" has no earlier version to roll back to`, {
        labelVersion: row.version.version,
      });
    return moveLabelIn(tx, actor, scope, {
      ...input,
      toVersionId: target,
      expectedVersionId: row.versionId,
      action: "rolled_back",
    });
  });
}

/** Removes the label (refused while it is protected), with its history and audit entries. */
export function removeLabel(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  input: { label: string; reason: string },
): Promise<LabelChange> {
  return labelTransaction(db, async (tx) => {
    const row = await findLabel(tx, scope.taskId, input.label);
    if (!row) throw new NotFoundError(`task "${scope.taskName}" has no label "${input.label}"`);
    if (row.protected) throw protectedLabelError(input.label, row.version.version);
    const createdAt = await nextEventTime(tx, scope.taskId, input.label);
    const removed = await tx.promptLabel.deleteMany({
      where: { id: row.id, versionId: row.versionId, protected: false },
    });
    if (removed.count !== 1) throw new LabelRaceLost();
    await staleRequests(tx, scope.taskId, input.label);
    return record(tx, actor, scope, input.label, {
      action: "removed",
      fromVersionId: row.versionId,
      toVersionId: null,
      reason: input.reason,
      createdAt,
    });
  });
}

/** Protects or unprotects the label (its history entry keeps the version it was on). */
export function setLabelProtection(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  input: { label: string; protected: boolean; reason: string },
): Promise<LabelChange> {
  return labelTransaction(db, async (tx) => {
    const row = await findLabel(tx, scope.taskId, input.label);
    if (!row) throw new NotFoundError(`task "${scope.taskName}" has no label "${input.label}"`);
    if (row.protected === input.protected) return { label: labelRecord(row), event: null };
    const createdAt = await nextEventTime(tx, scope.taskId, input.label);
    const changed = await tx.promptLabel.updateMany({
      where: { id: row.id, versionId: row.versionId, protected: row.protected },
      data: { protected: input.protected, updatedBy: actor.label.slice(0, 320) },
    });
    if (changed.count !== 1) throw new LabelRaceLost();
    return record(tx, actor, scope, input.label, {
      action: input.protected ? "protected" : "unprotected",
      fromVersionId: row.versionId,
      toVersionId: row.versionId,
      reason: input.reason,
      createdAt,
    });
  });
}
