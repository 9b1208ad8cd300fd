// What a project's overview page reads: how much it holds, its newest prompt versions and its datasets.
import type { Db } from "./client";
import { type PromptSource, readPromptSource } from "./prompts/versions";

export interface ProjectCounts {
  runs: number;
  activeRuns: number;
  tasks: number;
  promptVersions: number;
  datasets: number;
}

export async function overviewCounts(db: Db, projectId: string): Promise<ProjectCounts> {
  const [runs, activeRuns, tasks, promptVersions, datasets] = await Promise.all([
    db.optimizationRun.count({ where: { projectId } }),
    db.optimizationRun.count({ where: { projectId, status: { in: ["queued", "running"] } } }),
    db.task.count({ where: { projectId } }),
    db.promptVersion.count({ where: { task: { projectId } } }),
    db.dataset.count({ where: { projectId } }),
  ]);
  return { runs, activeRuns, tasks, promptVersions, datasets };
}

export interface RecentPromptVersion {
  id: string;
  taskName: string;
  version: number;
  source: PromptSource;
  runId: string | null;
  note: string;
  createdAt: Date;
}

/** The project's newest prompt versions across its tasks. */
export async function overviewPromptVersions(
  db: Db,
  projectId: string,
  limit = 8,
): Promise<RecentPromptVersion[]> {
  const rows = await db.promptVersion.findMany({
    where: { task: { projectId } },
    orderBy: [{ createdAt: "desc" }, { version: "desc" }],
    take: limit,
    select: {
      id: true,
      version: true,
      source: true,
      runId: true,
      note: true,
      createdAt: true,
      task: { select: { name: true } },
    },
  });
  return rows.map(({ task, ...row }) => ({
    ...row,
    taskName: task.name,
    source: readPromptSource(row.source, row.id),
  }));
}

export interface DatasetSummary {
  id: string;
  name: string;
  versionCount: number;
  updatedAt: Date;
  latest: { id: string; version: number; rowCount: number; sourceName: string; createdAt: Date } | null;
}

/** The project's datasets, most recently changed first, each with its newest version. */
export async function overviewDatasets(db: Db, projectId: string, limit = 8): Promise<DatasetSummary[]> {
  const rows = await db.dataset.findMany({
    where: { projectId },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      name: true,
      updatedAt: true,
      versions: {
        orderBy: { version: "desc" },
        take: 1,
        select: { id: true, version: true, rowCount: true, sourceName: true, createdAt: true },
      },
      _count: { select: { versions: true } },
    },
  });
  return rows.map(({ versions, _count, ...row }) => ({
    ...row,
    versionCount: _count.versions,
    latest: versions[0] ?? null,
  }));
}
