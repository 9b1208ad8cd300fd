// Prompts, read side: a project's tasks with their newest version, a task's page (labels, versions),
// its versions page by page, one version, and the diff of two versions. Everything is scoped to the
// caller's project: a task of another project is "not found".
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import { diffPromptContent, type FieldDiff } from "@/lib/core/prompt-diff";
import {
  countPendingChangeRequests,
  type Db,
  findTaskWithLatestVersion,
  getPromptVersion,
  type LabelRecord,
  listLabels,
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

export interface TaskDetails {
  task: PromptTaskView;
  labels: LabelRecord[];
  /** `latest`: the newest version (not stored; null when the task has none). */
  latest: { version: number; versionId: string } | null;
  /** The newest versions (first page of `listTaskVersions`). */
  versions: PromptVersionRecord[];
  nextBefore: number | null;
  /** Change requests waiting for a decision or to be applied. */
  pendingChangeRequests: number;
}

/** A task's page: its labels, newest versions and pending change requests. */
export async function getTaskDetails(
  db: Db,
  access: ProjectAccess,
  name: string,
  query: { limit: number },
): Promise<TaskDetails> {
  const task = await findTaskWithLatestVersion(db, access.project.id, name);
  if (!task) throw new NotFoundError(`no task named "${name}" in this project`);
  const [labels, page, pendingChangeRequests] = await Promise.all([
    listLabels(db, task.id),
    pagePromptVersions(db, task.id, { before: null, limit: query.limit }),
    countPendingChangeRequests(db, task.id),
  ]);
  return {
    task: taskView(task),
    labels,
    latest: task.latest ? { version: task.latest.version, versionId: task.latest.id } : null,
    versions: page.items,
    nextBefore: page.nextBefore,
    pendingChangeRequests,
  };
}
