// Writing prompts from the app and the API: creating a task (with its first version), changing its
// description, deleting it (refused while a label points into it or a job of it is unfinished), and
// new versions — each one transaction with its audit entry.
import { ConflictError } from "@/lib/core/errors";
import type { PromptState } from "@/lib/core/types";
import { type AuditActor, type AuditEntryInput, audited } from "../audit";
import type { Db } from "../client";
import { isUniqueViolation, retryOnUniqueViolation } from "../util";
import type { TaskRecord } from "./tasks";
import { createPromptVersionIn, type PromptVersionMeta, type PromptVersionRecord } from "./versions";

export interface TaskScope {
  projectId: string;
  organizationId: string;
}

export interface AuthoredVersion {
  content: PromptState;
  meta: PromptVersionMeta;
}

function versionAudit(scope: TaskScope, task: { id: string; name: string }, version: PromptVersionRecord) {
  return {
    action: "prompt.version_created",
    organizationId: scope.organizationId,
    projectId: scope.projectId,
    targetType: "prompt_version",
    targetId: version.id,
    targetLabel: `${task.name} v${version.version}`,
    after: {
      task: task.name,
      version: version.version,
      source: version.source,
      message: version.message,
      model: version.model,
      variablesDeclared: version.variablesDeclared,
    },
  } satisfies AuditEntryInput;
}

/** A new task (409 when the project has one of that name), with its first version when given. */
export async function createTask(
  db: Db,
  actor: AuditActor,
  scope: TaskScope,
  input: { name: string; description: string; version?: AuthoredVersion },
): Promise<{ task: TaskRecord; version: PromptVersionRecord | null }> {
  try {
    return await audited(db, actor, async (tx) => {
      const task = await tx.task.create({
        data: { projectId: scope.projectId, name: input.name, description: input.description },
      });
      const version = input.version
        ? await createPromptVersionIn(tx, task.id, input.version.content, input.version.meta)
        : null;
      const created: AuditEntryInput = {
        action: "prompt.task_created",
        organizationId: scope.organizationId,
        projectId: scope.projectId,
        targetType: "task",
        targetId: task.id,
        targetLabel: task.name,
        after: { name: task.name, description: task.description },
      };
      return {
        result: { task, version },
        audit: version ? [created, versionAudit(scope, task, version)] : created,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`a task named "${input.name}" already exists in this project`);
    throw error;
  }
}

export function updateTaskDescription(
  db: Db,
  actor: AuditActor,
  scope: TaskScope,
  input: { taskId: string; description: string },
): Promise<TaskRecord> {
  return audited(db, actor, async (tx) => {
    const before = await tx.task.findUniqueOrThrow({ where: { id: input.taskId } });
    const task = await tx.task.update({
      where: { id: input.taskId },
      data: { description: input.description },
    });
    return {
      result: task,
      audit: {
        action: "prompt.task_updated",
        organizationId: scope.organizationId,
        projectId: scope.projectId,
        targetType: "task",
        targetId: task.id,
        targetLabel: task.name,
        before: { description: before.description },
        after: { description: task.description },
      },
    };
  });
}

/**
 * Deletes a task with its versions, runs, batches and history. Refused (409) while a label points into
 * it — remove the labels first, so no application loses the prompt it fetches — or while one of its
 * runs or batches is queued or running.
 */
export function deleteTask(db: Db, actor: AuditActor, scope: TaskScope, taskId: string): Promise<void> {
  return audited(db, actor, async (tx) => {
    // Writing the row first locks it: a concurrent version or label write of this task waits for us.
    const task = await tx.task.update({ where: { id: taskId }, data: { updatedAt: new Date() } });
    const labels = await tx.promptLabel.findMany({
      where: { taskId },
      select: { name: true },
      orderBy: { name: "asc" },
    });
    if (labels.length > 0) {
      const names = labels.map((l) => l.name);
      throw new ConflictError(
        `task "${task.name}" is served through its labels (${names.join(", ")}): remove them first`,
        { labels: names },
      );
    }
    const active = { taskId, status: { in: ["queued", "running"] } };
    const [runs, batches] = await Promise.all([
      tx.optimizationRun.count({ where: active }),
      tx.batchJob.count({ where: active }),
    ]);
    if (runs + batches > 0)
      throw new ConflictError(
        `task "${task.name}" has ${runs} unfinished run(s) and ${batches} unfinished batch(es): cancel them first`,
        { runCount: runs },
      );
    const versions = await tx.promptVersion.count({ where: { taskId } });
    await tx.task.delete({ where: { id: taskId } });
    return {
      result: undefined,
      audit: {
        action: "prompt.task_deleted",
        organizationId: scope.organizationId,
        projectId: scope.projectId,
        targetType: "task",
        targetId: task.id,
        targetLabel: task.name,
        before: { name: task.name, versions },
      },
    };
  });
}

/** A new version of the task (max + 1), committed with its audit entry. */
export function authorPromptVersion(
  db: Db,
  actor: AuditActor,
  scope: TaskScope,
  task: { id: string; name: string },
  input: AuthoredVersion,
): Promise<PromptVersionRecord> {
  return retryOnUniqueViolation(() =>
    audited(db, actor, async (tx) => {
      const version = await createPromptVersionIn(tx, task.id, input.content, input.meta);
      return { result: version, audit: versionAudit(scope, task, version) };
    }),
  );
}
