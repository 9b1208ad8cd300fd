// Change requests: how a protected label moves. Requested (by an editor), approved or rejected (by an
// admin who did not request it), then applied — unless the label moved meanwhile: then the request is
// marked stale and cannot be applied. Each step is one transaction with its audit entry; applying is
// the label move itself (labels.ts), in the same transaction as the request's new status.
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { changedVariableNames, requiredVariableChanges } from "@/lib/core/variables";
import type { ChangeRequestStatus } from "@/lib/validation/prompt-labels";
import { type AuditActor, type AuditEntryInput, appendAudit, audited } from "../audit";
import type { Db, Tx } from "../client";
import type { LabelChangeRequest } from "../generated/sqlite/client";
import { keysetPage, type Page, type PageCursor } from "../pagination";
import { variablesChangedError } from "./label-errors";
import { type ChangeRequestRecord, changeRequestRecords } from "./label-records";
import { labelTransaction } from "./label-transaction";
import { type LabelChange, type LabelScope, moveLabelIn } from "./labels";
import { promptVersionRecord } from "./versions";

/** True when `actor` made the request (self-approval is refused). */
export function isRequester(
  actor: AuditActor,
  request: { requestedById: string | null; requestedBy: string },
) {
  return actor.id !== null
    ? actor.id === request.requestedById
    : request.requestedById === null && actor.label === request.requestedBy;
}

async function one(tx: Db | Tx, row: LabelChangeRequest): Promise<ChangeRequestRecord> {
  const [record] = await changeRequestRecords(tx, [row]);
  return record!;
}

async function findRequest(tx: Tx, scope: LabelScope, id: string): Promise<LabelChangeRequest> {
  const row = await tx.labelChangeRequest.findUnique({ where: { id } });
  if (!row || row.taskId !== scope.taskId)
    throw new NotFoundError(`task "${scope.taskName}" has no change request "${id}"`);
  return row;
}

function requireStatus(row: LabelChangeRequest, allowed: ChangeRequestStatus[], doing: string): void {
  if (!(allowed as string[]).includes(row.status))
    throw new ConflictError(`change request ${row.id} is ${row.status}: it cannot be ${doing}`, {
      status: row.status,
    });
}

function auditEntry(scope: LabelScope, action: string, row: LabelChangeRequest, after = {}): AuditEntryInput {
  return {
    action: `prompt.change_${action}`,
    organizationId: scope.organizationId,
    projectId: scope.projectId,
    targetType: "label_change_request",
    targetId: row.id,
    targetLabel: `${scope.taskName}:${row.label}`,
    after: { label: row.label, status: row.status, ...after },
  };
}

async function labelVersionId(tx: Tx, taskId: string, label: string): Promise<string | null> {
  const row = await tx.promptLabel.findUnique({
    where: { taskId_name: { taskId, name: label } },
    select: { versionId: true },
  });
  return row?.versionId ?? null;
}

/** Marks the request stale (its label moved since it was made), audited; the caller answers 409. */
async function markStale(tx: Tx, actor: AuditActor, scope: LabelScope, row: LabelChangeRequest) {
  const stale = await tx.labelChangeRequest.update({ where: { id: row.id }, data: { status: "stale" } });
  await appendAudit(tx, actor, auditEntry(scope, "stale", stale));
  return { stale: true as const, request: await one(tx, stale) };
}

export interface NewChangeRequest {
  label: string;
  toVersionId: string;
  reason: string;
  evaluationRunId: string | null;
  confirmVariableChange: boolean;
}

/** Opens a request to point `label` at a version, recording where the label is now. */
export function createChangeRequest(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  input: NewChangeRequest,
): Promise<ChangeRequestRecord> {
  return audited(db, actor, async (tx) => {
    const fromVersionId = await labelVersionId(tx, scope.taskId, input.label);
    if (fromVersionId === input.toVersionId)
      throw new ConflictError(`label "${input.label}" is on that version already`);
    const to = await tx.promptVersion.findUnique({ where: { id: input.toVersionId } });
    if (!to || to.taskId !== scope.taskId)
      throw new NotFoundError("that version is not a version of this task");
    if (fromVersionId && !input.confirmVariableChange) {
      const from = promptVersionRecord(
        await tx.promptVersion.findUniqueOrThrow({ where: { id: fromVersionId } }),
      );
      const target = promptVersionRecord(to);
      const changed = changedVariableNames(
        requiredVariableChanges(from.variableSchema, target.variableSchema),
      );
      if (changed.length > 0) throw variablesChangedError(input.label, from.version, target.version, changed);
    }
    const row = await tx.labelChangeRequest.create({
      data: {
        taskId: scope.taskId,
        label: input.label,
        fromVersionId,
        toVersionId: input.toVersionId,
        reason: input.reason,
        evaluationRunId: input.evaluationRunId,
        requestedById: actor.id,
        requestedBy: actor.label.slice(0, 320),
      },
    });
    return {
      result: await one(tx, row),
      audit: auditEntry(scope, "requested", row, { reason: input.reason }),
    };
  });
}

export type Decision = "approved" | "rejected";

/**
 * Approves or rejects an open request (never the requester's own: 403). Approving a request whose label
 * moved since it was made marks it stale instead (`stale: true`, committed; the caller answers 409).
 */
export function decideChangeRequest(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  input: { id: string; decision: Decision },
): Promise<{ stale: boolean; request: ChangeRequestRecord }> {
  return db.$transaction(async (tx) => {
    const row = await findRequest(tx, scope, input.id);
    requireStatus(row, ["open"], input.decision);
    if (isRequester(actor, row))
      throw new ForbiddenError("a change request cannot be decided by its requester");
    if (
      input.decision === "approved" &&
      (await labelVersionId(tx, scope.taskId, row.label)) !== row.fromVersionId
    )
      return markStale(tx, actor, scope, row);
    const decided = await tx.labelChangeRequest.updateMany({
      where: { id: row.id, status: "open" },
      data: {
        status: input.decision,
        decidedById: actor.id,
        decidedBy: actor.label.slice(0, 320),
        decidedAt: new Date(),
      },
    });
    if (decided.count !== 1) throw new ConflictError(`change request ${row.id} was decided concurrently`);
    const now = await tx.labelChangeRequest.findUniqueOrThrow({ where: { id: row.id } });
    await appendAudit(tx, actor, auditEntry(scope, input.decision, now));
    return { stale: false, request: await one(tx, now) };
  });
}

/** Withdraws an open or approved request. */
export function cancelChangeRequest(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  id: string,
): Promise<ChangeRequestRecord> {
  return audited(db, actor, async (tx) => {
    const row = await findRequest(tx, scope, id);
    requireStatus(row, ["open", "approved"], "cancelled");
    const cancelled = await tx.labelChangeRequest.update({ where: { id }, data: { status: "cancelled" } });
    return { result: await one(tx, cancelled), audit: auditEntry(scope, "cancelled", cancelled) };
  });
}

export type AppliedChange =
  | { stale: true; request: ChangeRequestRecord }
  | { stale: false; request: ChangeRequestRecord; change: LabelChange };

/**
 * Applies an approved request: moves the label (protected or not) from the version it was requested
 * from, by compare-and-set, and marks the request applied — one transaction. A label that moved since
 * makes the request stale (committed; the caller answers 409).
 */
export function applyChangeRequest(
  db: Db,
  actor: AuditActor,
  scope: LabelScope,
  id: string,
): Promise<AppliedChange> {
  return labelTransaction(db, async (tx) => {
    const row = await findRequest(tx, scope, id);
    requireStatus(row, ["approved"], "applied");
    if ((await labelVersionId(tx, scope.taskId, row.label)) !== row.fromVersionId)
      return markStale(tx, actor, scope, row);
    const change = await moveLabelIn(tx, actor, scope, {
      label: row.label,
      toVersionId: row.toVersionId,
      reason: row.reason,
      evaluationRunId: row.evaluationRunId,
      // Checked when it was requested, against the same version (or the request would be stale).
      confirmVariableChange: true,
      expectedVersionId: row.fromVersionId,
      changeRequestId: row.id,
    });
    const applied = await tx.labelChangeRequest.update({
      where: { id },
      data: { status: "applied", appliedAt: new Date() },
    });
    await appendAudit(tx, actor, auditEntry(scope, "applied", applied));
    return { stale: false as const, request: await one(tx, applied), change };
  });
}

export async function getChangeRequest(
  db: Db,
  taskId: string,
  id: string,
): Promise<ChangeRequestRecord | null> {
  const row = await db.labelChangeRequest.findUnique({ where: { id } });
  return row && row.taskId === taskId ? one(db, row) : null;
}

/** The task's change requests (of one status, when given), newest first. */
export function pageChangeRequests(
  db: Db,
  taskId: string,
  query: { status?: ChangeRequestStatus; cursor?: PageCursor | null; limit: number },
): Promise<Page<ChangeRequestRecord>> {
  return keysetPage(query, async (where, take) => {
    const rows = await db.labelChangeRequest.findMany({
      where: { taskId, ...(query.status ? { status: query.status } : {}), ...where },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
    return changeRequestRecords(db, rows);
  });
}

/** How many of the task's requests wait for a decision or to be applied. */
export function countPendingChangeRequests(db: Db, taskId: string): Promise<number> {
  return db.labelChangeRequest.count({ where: { taskId, status: { in: ["open", "approved"] } } });
}
