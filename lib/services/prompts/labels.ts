// Labels of a task's versions: list them, move or add one, roll one back, remove one (editors), protect
// or unprotect one (admins), read their history. Each change is one audited transaction written to the
// label history (lib/db/prompts/labels.ts); a protected label moves only through a change request.
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  type AuditActor,
  type Db,
  getLatestPromptVersion,
  getPromptVersion,
  isRunOfTask,
  type LabelChange,
  type LabelEventRecord,
  type LabelRecord,
  listLabels,
  moveLabel,
  type Page,
  type PageCursor,
  pageLabelEvents,
  removeLabel,
  rollbackLabel,
  setLabelProtection,
  type TaskRecord,
} from "@/lib/db";
import { fieldError } from "@/lib/validation/parse";
import { requireRole, requireTask, requireVersion, servingChanged, taskScope } from "./access";

export type { LabelChange, LabelEventRecord, LabelRecord };

export interface TaskLabels {
  items: LabelRecord[];
  latest: { version: number; versionId: string } | null;
}

export async function listTaskLabels(db: Db, access: ProjectAccess, name: string): Promise<TaskLabels> {
  const task = await requireTask(db, access, name);
  const [items, latest] = await Promise.all([listLabels(db, task.id), getLatestPromptVersion(db, task.id)]);
  return { items, latest: latest ? { version: latest.version, versionId: latest.id } : null };
}

/** The run a change cites, checked to be a run of the task (400 naming the field otherwise). */
export async function citedRun(
  db: Db,
  task: TaskRecord,
  runId: string | undefined,
  field = "evaluationRunId",
): Promise<string | null> {
  if (runId === undefined) return null;
  if (!(await isRunOfTask(db, task.id, runId)))
    throw fieldError("body", field, `no run "${runId}" of task "${task.name}"`);
  return runId;
}

const labelling = (
  db: Db,
  access: ProjectAccess,
  actor: AuditActor,
  role: "editor" | "admin",
  operation: string,
  target: string,
) => requireRole(db, access, actor, role, { operation, target });

export interface MoveLabelInput {
  version: number;
  reason: string;
  evaluationRunId?: string;
  confirmVariableChange: boolean;
  expectedVersion?: number | null;
}

/**
 * Points `label` at version `input.version`, adding the label when the task has none of that name
 * (409 protected_label, variables_changed, or when it is not at `expectedVersion`).
 */
export async function moveTaskLabel(
  db: Db,
  access: ProjectAccess,
  name: string,
  label: string,
  input: MoveLabelInput,
  actor: AuditActor,
): Promise<LabelChange> {
  await labelling(db, access, actor, "editor", "move a label", `${name}:${label}`);
  const task = await requireTask(db, access, name);
  const target = await requireVersion(db, task, input.version);
  const evaluationRunId = await citedRun(db, task, input.evaluationRunId);
  let expectedVersionId: string | null | undefined;
  if (input.expectedVersion === null) expectedVersionId = null;
  else if (input.expectedVersion !== undefined)
    // A version that does not exist is where no label is: the move is refused as "moved".
    expectedVersionId = (await getPromptVersion(db, task.id, input.expectedVersion))?.id ?? "";
  const change = await moveLabel(db, actor, taskScope(access, task), {
    label,
    toVersionId: target.id,
    reason: input.reason,
    evaluationRunId,
    confirmVariableChange: input.confirmVariableChange,
    expectedVersionId,
  });
  return servingChanged(access, task.name, change);
}

/** Moves the label back to the version before its current one, in one call. */
export async function rollbackTaskLabel(
  db: Db,
  access: ProjectAccess,
  name: string,
  label: string,
  input: { reason: string; confirmVariableChange: boolean } | undefined,
  actor: AuditActor,
): Promise<LabelChange> {
  await labelling(db, access, actor, "editor", "roll back a label", `${name}:${label}`);
  const task = await requireTask(db, access, name);
  const change = await rollbackLabel(db, actor, taskScope(access, task), {
    label,
    reason: input?.reason ?? "",
    confirmVariableChange: input?.confirmVariableChange ?? false,
  });
  return servingChanged(access, task.name, change);
}

export async function removeTaskLabel(
  db: Db,
  access: ProjectAccess,
  name: string,
  label: string,
  input: { reason: string } | undefined,
  actor: AuditActor,
): Promise<LabelChange> {
  await labelling(db, access, actor, "editor", "remove a label", `${name}:${label}`);
  const task = await requireTask(db, access, name);
  const change = await removeLabel(db, actor, taskScope(access, task), {
    label,
    reason: input?.reason ?? "",
  });
  return servingChanged(access, task.name, change);
}

/** Protects or unprotects a label (admins and owners). */
export async function setTaskLabelProtection(
  db: Db,
  access: ProjectAccess,
  name: string,
  label: string,
  input: { protected: boolean; reason: string },
  actor: AuditActor,
): Promise<LabelChange> {
  await labelling(db, access, actor, "admin", "protect or unprotect a label", `${name}:${label}`);
  const task = await requireTask(db, access, name);
  return setLabelProtection(db, actor, taskScope(access, task), { label, ...input });
}

/** The task's label history (one label's when named), newest first. */
export async function pageTaskLabelHistory(
  db: Db,
  access: ProjectAccess,
  name: string,
  query: { label?: string; cursor: PageCursor | null; limit: number },
): Promise<Page<LabelEventRecord>> {
  const task = await requireTask(db, access, name);
  return pageLabelEvents(db, task.id, query);
}
