// Reading a project's prompts: its tasks with their newest version, and a task's versions page by page
// (newest first, by version number). Writing versions stays in prompt-versions.ts.
import type { Db } from "../client";
import type { PromptVersion } from "../generated/sqlite/client";
import type { TaskRecord } from "./tasks";
import { type PromptVersionRecord, promptVersionRecord } from "./versions";

export interface TaskWithLatestVersion extends TaskRecord {
  /** When the task last changed (a new version bumps it). */
  updatedAt: Date;
  versionCount: number;
  latest: PromptVersionRecord | null;
}

const WITH_LATEST = {
  versions: { orderBy: { version: "desc" }, take: 1 },
  _count: { select: { versions: true } },
} as const;

function withLatest<T extends TaskRecord & { updatedAt: Date }>({
  versions,
  _count,
  ...task
}: T & { versions: PromptVersion[]; _count: { versions: number } }): TaskWithLatestVersion {
  return {
    id: task.id,
    projectId: task.projectId,
    name: task.name,
    description: task.description,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    versionCount: _count.versions,
    latest: versions[0] ? promptVersionRecord(versions[0]) : null,
  };
}

/** The project's tasks by name, each with its newest version and how many versions it has. */
export async function listTasksWithLatestVersion(
  db: Db,
  projectId: string,
): Promise<TaskWithLatestVersion[]> {
  const rows = await db.task.findMany({
    where: { projectId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: WITH_LATEST,
  });
  return rows.map(withLatest);
}

/** One task of the project by name, with its newest version; null when there is none. */
export async function findTaskWithLatestVersion(
  db: Db,
  projectId: string,
  name: string,
): Promise<TaskWithLatestVersion | null> {
  const row = await db.task.findUnique({
    where: { projectId_name: { projectId, name } },
    include: WITH_LATEST,
  });
  return row ? withLatest(row) : null;
}

export interface PromptVersionPage {
  items: PromptVersionRecord[];
  /** The version number the next page starts below; null on the last page. */
  nextBefore: number | null;
}

/** One page of a task's versions, newest first: versions numbered below `before` (all when null). */
export async function pagePromptVersions(
  db: Db,
  taskId: string,
  query: { before: number | null; limit: number },
): Promise<PromptVersionPage> {
  const rows = await db.promptVersion.findMany({
    where: { taskId, ...(query.before !== null ? { version: { lt: query.before } } : {}) },
    orderBy: { version: "desc" },
    take: query.limit + 1,
  });
  const items = rows.slice(0, query.limit).map(promptVersionRecord);
  const last = items[items.length - 1];
  return { items, nextBefore: rows.length > query.limit && last ? last.version : null };
}

/** Every version number of a task, newest first (for pickers). */
export async function listPromptVersionNumbers(db: Db, taskId: string): Promise<number[]> {
  const rows = await db.promptVersion.findMany({
    where: { taskId },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return rows.map((r) => r.version);
}
