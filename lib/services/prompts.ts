// Prompts, read side: a project's tasks with their newest version, a task's versions, one version, and
// the diff of two versions. Everything is scoped to the caller's project: a task of another project is
// "not found". (Labels, rollback and serving come later and write through their own services.)
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import { diffPromptContent, type FieldDiff } from "@/lib/core/prompt-diff";
import {
  type Db,
  findTaskWithLatestVersion,
  getPromptVersion,
  listPromptVersionNumbers,
  listTasksWithLatestVersion,
  type PromptVersionRecord,
  pagePromptVersions,
  type TaskWithLatestVersion,
} from "@/lib/db";

export interface PromptTaskView {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  versionCount: number;
}

export interface PromptTaskWithLatestView extends PromptTaskView {
  latestVersion: PromptVersionRecord | null;
}

function taskView(task: TaskWithLatestVersion): PromptTaskView {
  return {
    id: task.id,
    name: task.name,
    description: task.description,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    versionCount: task.versionCount,
  };
}

export async function listPromptTasks(db: Db, access: ProjectAccess): Promise<PromptTaskWithLatestView[]> {
  const tasks = await listTasksWithLatestVersion(db, access.project.id);
  return tasks.map((task) => ({ ...taskView(task), latestVersion: task.latest }));
}

/** The task with its version count (404 when the project has no such task). */
export async function getPromptTask(db: Db, access: ProjectAccess, name: string): Promise<PromptTaskView> {
  const task = await findTaskWithLatestVersion(db, access.project.id, name);
  if (!task) throw new NotFoundError(`no task named "${name}" in this project`);
  return taskView(task);
}

export interface TaskVersionsPage {
  task: PromptTaskView;
  items: PromptVersionRecord[];
  /** The version number the next page starts below; null on the last page. */
  nextBefore: number | null;
}

/** One page of a task's versions, newest first. */
export async function listTaskVersions(
  db: Db,
  access: ProjectAccess,
  name: string,
  query: { before: number | null; limit: number },
): Promise<TaskVersionsPage> {
  const task = await getPromptTask(db, access, name);
  const page = await pagePromptVersions(db, task.id, query);
  return { task, items: page.items, nextBefore: page.nextBefore };
}

/** Every version number of the task, newest first (for the version pickers). */
export async function listTaskVersionNumbers(db: Db, access: ProjectAccess, name: string): Promise<number[]> {
  const task = await getPromptTask(db, access, name);
  return listPromptVersionNumbers(db, task.id);
}

export async function getTaskVersion(
  db: Db,
  access: ProjectAccess,
  name: string,
  version: number,
): Promise<PromptVersionRecord> {
  const task = await getPromptTask(db, access, name);
  const found = await getPromptVersion(db, task.id, version);
  if (!found) throw new NotFoundError(`task "${name}" has no version ${version}`);
  return found;
}

export interface PromptDiffView {
  task: PromptTaskView;
  from: PromptVersionRecord;
  to: PromptVersionRecord;
  identical: boolean;
  fields: FieldDiff[];
}

/** The field-by-field line diff from version `from` to version `to` (either order; same version too). */
export async function diffTaskVersions(
  db: Db,
  access: ProjectAccess,
  name: string,
  from: number,
  to: number,
): Promise<PromptDiffView> {
  const task = await getPromptTask(db, access, name);
  const [a, b] = await Promise.all([getPromptVersion(db, task.id, from), getPromptVersion(db, task.id, to)]);
  if (!a) throw new NotFoundError(`task "${name}" has no version ${from}`);
  if (!b) throw new NotFoundError(`task "${name}" has no version ${to}`);
  return {
    task,
    from: a,
    to: b,
    identical: a.contentHash === b.contentHash,
    fields: diffPromptContent(a, b),
  };
}
