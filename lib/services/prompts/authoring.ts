// Authoring prompts (editors): create a task, optionally with its first version; change its
// description; delete it; write a new immutable version; duplicate a version. Versions written by runs
// and the CLI are untouched by this: they keep their derived variables.
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  type AuditActor,
  authorPromptVersion,
  createTask,
  type Db,
  deleteTask,
  type PromptVersionRecord,
  updateTaskDescription,
} from "@/lib/db";
import type { Env } from "@/lib/llm/providers/index";
import type { NewVersion } from "@/lib/validation/prompt-authoring";
import { requireRole, requireTask, requireVersion, servingChanged } from "./access";
import { getPromptTask, type PromptTaskView } from "./reads";
import { checkNewVersion } from "./version-input";

export interface AuthoringOptions {
  /** Where credentials of a serving model are looked up (default process.env). */
  env?: Env;
}

const scopeOf = (access: ProjectAccess) => ({
  projectId: access.project.id,
  organizationId: access.project.organization.id,
});

const editing = (db: Db, access: ProjectAccess, actor: AuditActor, operation: string, target: string) =>
  requireRole(db, access, actor, "editor", { operation, target });

/** A new task, with its first version when `version` is given (409 when the name is taken). */
export async function createPromptTask(
  db: Db,
  access: ProjectAccess,
  input: { name: string; description: string; version?: NewVersion },
  actor: AuditActor,
  options: AuthoringOptions = {},
): Promise<{ task: PromptTaskView; version: PromptVersionRecord | null }> {
  await editing(db, access, actor, "create a task", input.name);
  const version = input.version
    ? await checkNewVersion(db, access.project.id, input.version, actor, {
        prefix: "version",
        env: options.env,
      })
    : undefined;
  const created = await createTask(db, actor, scopeOf(access), { ...input, version });
  servingChanged(access, created.task.name, null);
  return { task: await getPromptTask(db, access, created.task.name), version: created.version };
}

export async function updatePromptTask(
  db: Db,
  access: ProjectAccess,
  name: string,
  input: { description: string },
  actor: AuditActor,
): Promise<PromptTaskView> {
  await editing(db, access, actor, "update a task", name);
  const task = await requireTask(db, access, name);
  await updateTaskDescription(db, actor, scopeOf(access), {
    taskId: task.id,
    description: input.description,
  });
  return getPromptTask(db, access, name);
}

/** Deletes the task and everything of it (409 while a label points into it or a job of it runs). */
export async function deletePromptTask(
  db: Db,
  access: ProjectAccess,
  name: string,
  actor: AuditActor,
): Promise<void> {
  await editing(db, access, actor, "delete a task", name);
  const task = await requireTask(db, access, name);
  await deleteTask(db, actor, scopeOf(access), task.id);
  servingChanged(access, task.name, null);
}

/** A new immutable version of the task (source "manual"), checked completely first. */
export async function createTaskVersion(
  db: Db,
  access: ProjectAccess,
  name: string,
  input: NewVersion,
  actor: AuditActor,
  options: AuthoringOptions = {},
): Promise<PromptVersionRecord> {
  await editing(db, access, actor, "write a version", name);
  const task = await requireTask(db, access, name);
  const version = await checkNewVersion(db, access.project.id, input, actor, { env: options.env });
  return servingChanged(
    access,
    task.name,
    await authorPromptVersion(db, actor, scopeOf(access), task, version),
  );
}

/** A new version with the content, variables and model of version `number`. */
export async function duplicateTaskVersion(
  db: Db,
  access: ProjectAccess,
  name: string,
  number: number,
  input: { message?: string } | undefined,
  actor: AuditActor,
): Promise<PromptVersionRecord> {
  await editing(db, access, actor, "duplicate a version", name);
  const task = await requireTask(db, access, name);
  const source = await requireVersion(db, task, number);
  const duplicate = await authorPromptVersion(db, actor, scopeOf(access), task, {
    content: {
      systemPrompt: source.systemPrompt,
      outputPrompt: source.outputPrompt,
      demos: source.demos,
      params: source.params,
    },
    meta: {
      source: "manual",
      note: input?.message ?? `Duplicate of version ${source.version}`,
      variableSchema: source.variablesDeclared ? source.variableSchema : null,
      model: source.model,
      createdBy: actor.label,
    },
  });
  return servingChanged(access, task.name, duplicate);
}
