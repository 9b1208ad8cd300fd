// What every prompt use case starts with: the caller's task (404 naming it when the project has none),
// the scope its changes are audited in, and role checks whose refusals are audited ("access.refused",
// the same entry the API writes when a route refuses a role: docs/security.md).
import type { ProjectAccess } from "@/lib/auth/principal";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { hasRole, type Role } from "@/lib/core/roles";
import {
  type AuditActor,
  appendAudit,
  type Db,
  getPromptVersion,
  getTaskByName,
  type LabelScope,
  type PromptVersionRecord,
  type TaskRecord,
} from "@/lib/db";
import { servedPromptChanged } from "../serving/invalidation";

export async function requireTask(db: Db, access: ProjectAccess, name: string): Promise<TaskRecord> {
  const task = await getTaskByName(db, access.project.id, name);
  if (!task) throw new NotFoundError(`no task named "${name}" in this project`);
  return task;
}

export async function requireVersion(
  db: Db,
  task: TaskRecord,
  version: number,
): Promise<PromptVersionRecord> {
  const found = await getPromptVersion(db, task.id, version);
  if (!found) throw new NotFoundError(`task "${task.name}" has no version ${version}`);
  return found;
}

export function taskScope(access: ProjectAccess, task: TaskRecord): LabelScope {
  return {
    projectId: access.project.id,
    organizationId: access.project.organization.id,
    taskId: task.id,
    taskName: task.name,
  };
}

/** Writes the audit entry of a refused operation (nothing else changes). */
export function auditRefusal(
  db: Db,
  access: ProjectAccess,
  actor: AuditActor,
  what: { operation: string; target: string; reason: string },
): Promise<void> {
  return appendAudit(db, actor, {
    action: "access.refused",
    organizationId: access.project.organization.id,
    projectId: access.project.id,
    targetType: "operation",
    targetLabel: what.target,
    after: { operation: what.operation, role: access.role, reason: what.reason },
  });
}

/** 403, audited, unless the caller's role includes `required`. */
export async function requireRole(
  db: Db,
  access: ProjectAccess,
  actor: AuditActor,
  required: Role,
  what: { operation: string; target: string },
): Promise<void> {
  if (hasRole(access.role, required)) return;
  const reason = `this needs the ${required} role in project "${access.project.slug}" (you have ${access.role})`;
  await auditRefusal(db, access, actor, { ...what, reason });
  throw new ForbiddenError(reason, { required, role: access.role });
}

/** After a committed change of what the serving API answers for the task (labels, versions, the task). */
export function servingChanged<T>(access: ProjectAccess, taskName: string, result: T): T {
  servedPromptChanged({ projectId: access.project.id, taskName });
  return result;
}
