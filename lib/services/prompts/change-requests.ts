// Change requests for labels (how a protected label moves): editors request, admins and owners other
// than the requester approve or reject, then an editor applies it — unless the label moved meanwhile
// (stale, 409). A request is shown with the diff from the label's version and the newest evaluation of
// both versions. Refusals (self-approval, cancelling someone else's request) are audited.
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { diffPromptContent } from "@/lib/core/prompt-diff";
import { hasRole } from "@/lib/core/roles";
import { requiredVariableChanges } from "@/lib/core/variables";
import {
  type AuditActor,
  applyChangeRequest,
  type ChangeRequestRecord,
  cancelChangeRequest,
  createChangeRequest,
  type Db,
  type Decision,
  decideChangeRequest,
  getChangeRequest,
  getLabel,
  getPromptVersionById,
  isRequester,
  type LabelChange,
  latestVersionEvaluations,
  type Page,
  type PageCursor,
  pageChangeRequests,
  type TaskRecord,
} from "@/lib/db";
import type { ChangeRequestDetail, ChangeRequestStatus } from "@/lib/validation/prompt-labels";
import { auditRefusal, requireRole, requireTask, requireVersion, servingChanged, taskScope } from "./access";
import { citedRun } from "./labels";

export type { ChangeRequestDetail, ChangeRequestRecord };

const EMPTY = { systemPrompt: "", outputPrompt: "", demos: [], params: {} };
const NO_CHANGES = { added: [], removed: [], retyped: [] };

/** The request with its diff, variable changes, the label's version now and both evaluations. */
async function detail(db: Db, task: TaskRecord, request: ChangeRequestRecord): Promise<ChangeRequestDetail> {
  const [from, to, label] = await Promise.all([
    request.fromVersionId ? getPromptVersionById(db, request.fromVersionId) : null,
    getPromptVersionById(db, request.toVersionId),
    getLabel(db, task.id, request.label),
  ]);
  if (!to) throw new NotFoundError(`the version of change request ${request.id} no longer exists`);
  const evaluations = await latestVersionEvaluations(
    db,
    task.id,
    [from?.id, to.id].filter((id): id is string => !!id),
  );
  return {
    ...request,
    labelVersion: label?.version ?? null,
    diff: diffPromptContent(from ?? EMPTY, to),
    variableChanges: from ? requiredVariableChanges(from.variableSchema, to.variableSchema) : NO_CHANGES,
    evaluations: {
      from: from ? (evaluations.get(from.id) ?? null) : null,
      to: evaluations.get(to.id) ?? null,
    },
  };
}

async function requireRequest(db: Db, task: TaskRecord, id: string): Promise<ChangeRequestRecord> {
  const request = await getChangeRequest(db, task.id, id);
  if (!request) throw new NotFoundError(`task "${task.name}" has no change request "${id}"`);
  return request;
}

function staleError(request: ChangeRequestRecord): ConflictError {
  return new ConflictError(
    `label "${request.label}" moved since change request ${request.id} was made: the request is stale; make a new one`,
    { status: "stale" },
  );
}

export async function listTaskChangeRequests(
  db: Db,
  access: ProjectAccess,
  name: string,
  query: { status?: ChangeRequestStatus; cursor: PageCursor | null; limit: number },
): Promise<Page<ChangeRequestRecord>> {
  const task = await requireTask(db, access, name);
  return pageChangeRequests(db, task.id, query);
}

export async function getTaskChangeRequest(
  db: Db,
  access: ProjectAccess,
  name: string,
  id: string,
): Promise<ChangeRequestDetail> {
  const task = await requireTask(db, access, name);
  return detail(db, task, await requireRequest(db, task, id));
}

/** Opens a request to point `label` at a version (editors; any label, protected or not). */
export async function requestLabelChange(
  db: Db,
  access: ProjectAccess,
  name: string,
  input: {
    label: string;
    version: number;
    reason: string;
    evaluationRunId?: string;
    confirmVariableChange: boolean;
  },
  actor: AuditActor,
): Promise<ChangeRequestDetail> {
  await requireRole(db, access, actor, "editor", {
    operation: "request a label change",
    target: `${name}:${input.label}`,
  });
  const task = await requireTask(db, access, name);
  const to = await requireVersion(db, task, input.version);
  const request = await createChangeRequest(db, actor, taskScope(access, task), {
    label: input.label,
    toVersionId: to.id,
    reason: input.reason,
    evaluationRunId: await citedRun(db, task, input.evaluationRunId),
    confirmVariableChange: input.confirmVariableChange,
  });
  return detail(db, task, request);
}

/** Approves or rejects an open request: admins and owners, never the requester (403, audited). */
export async function decideLabelChange(
  db: Db,
  access: ProjectAccess,
  name: string,
  id: string,
  decision: Decision,
  actor: AuditActor,
): Promise<ChangeRequestDetail> {
  const operation = decision === "approved" ? "approve a change request" : "reject a change request";
  await requireRole(db, access, actor, "admin", { operation, target: `${name}:${id}` });
  const task = await requireTask(db, access, name);
  const request = await requireRequest(db, task, id);
  if (isRequester(actor, request)) {
    const reason = "a change request cannot be decided by its requester: another admin or owner must";
    await auditRefusal(db, access, actor, { operation, target: `${name}:${request.label}`, reason });
    throw new ForbiddenError(reason);
  }
  const decided = await decideChangeRequest(db, actor, taskScope(access, task), { id, decision });
  if (decided.stale) throw staleError(decided.request);
  return detail(db, task, decided.request);
}

/** Withdraws an open or approved request: its requester, or an admin or owner (else 403, audited). */
export async function cancelLabelChange(
  db: Db,
  access: ProjectAccess,
  name: string,
  id: string,
  actor: AuditActor,
): Promise<ChangeRequestDetail> {
  await requireRole(db, access, actor, "editor", {
    operation: "cancel a change request",
    target: `${name}:${id}`,
  });
  const task = await requireTask(db, access, name);
  const request = await requireRequest(db, task, id);
  if (!isRequester(actor, request) && !hasRole(access.role, "admin")) {
    const reason = "only its requester, an admin or an owner can cancel a change request";
    await auditRefusal(db, access, actor, {
      operation: "cancel a change request",
      target: `${name}:${request.label}`,
      reason,
    });
    throw new ForbiddenError(reason, { required: "admin", role: access.role });
  }
  return detail(db, task, await cancelChangeRequest(db, actor, taskScope(access, task), id));
}

/** Applies an approved request: the label moves (protected or not) in the same transaction. */
export async function applyLabelChange(
  db: Db,
  access: ProjectAccess,
  name: string,
  id: string,
  actor: AuditActor,
): Promise<{ request: ChangeRequestDetail } & LabelChange> {
  await requireRole(db, access, actor, "editor", {
    operation: "apply a change request",
    target: `${name}:${id}`,
  });
  const task = await requireTask(db, access, name);
  await requireRequest(db, task, id);
  const applied = await applyChangeRequest(db, actor, taskScope(access, task), id);
  if (applied.stale) throw staleError(applied.request);
  servingChanged(access, task.name, null);
  return { request: await detail(db, task, applied.request), ...applied.change };
}
