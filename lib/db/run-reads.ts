// Reading runs for the dashboard: a project's runs page by page, and what a run refers to (the prompt
// versions it started from and produced, the dataset version it ran on).
import type { Db } from "./client";
import { keysetPage, type Page, type PageCursor } from "./pagination";
import type { PromptSource } from "./prompt-versions";
import type { RunKind, RunStatus } from "./runs";

export interface RunListItem {
  id: string;
  taskName: string;
  kind: RunKind;
  status: RunStatus;
  /** The final report (JSON), null until the run finished with one. */
  report: unknown;
  error: string | null;
  /** The last progress snapshot (JSON), null before the first one. */
  progress: unknown;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface RunListFilter {
  status?: RunStatus;
  kind?: RunKind;
  /** Task name. */
  task?: string;
}

/** One page of the project's runs, newest first (keyset over createdAt, id), optionally filtered. */
export function pageProjectRuns(
  db: Db,
  projectId: string,
  query: { cursor?: PageCursor | null; limit: number } & RunListFilter,
): Promise<Page<RunListItem>> {
  const filter = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.task !== undefined ? { task: { name: query.task } } : {}),
  };
  return keysetPage(query, async (where, take) => {
    const rows = await db.optimizationRun.findMany({
      where: { projectId, ...filter, ...where },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: {
        id: true,
        kind: true,
        status: true,
        report: true,
        error: true,
        progress: true,
        calls: true,
        inputTokens: true,
        outputTokens: true,
        costUsd: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
        task: { select: { name: true } },
      },
    });
    return rows.map(({ task, ...row }) => ({
      ...row,
      taskName: task.name,
      kind: row.kind as RunKind,
      status: row.status as RunStatus,
      report: row.report ?? null,
      progress: row.progress ?? null,
    }));
  });
}

export interface VersionRef {
  id: string;
  version: number;
  source: PromptSource;
}

export interface RunReferences {
  baselineVersion: VersionRef;
  bestVersion: VersionRef | null;
  /** Versions this run saved (source "optimization"). */
  outputs: VersionRef[];
  dataset: { id: string; name: string; version: number; rowCount: number; sourceName: string };
}

/** The prompt and dataset versions a run refers to; null when there is no such run. */
export async function getRunReferences(db: Db, runId: string): Promise<RunReferences | null> {
  const ref = { select: { id: true, version: true, source: true } } as const;
  const row = await db.optimizationRun.findUnique({
    where: { id: runId },
    select: {
      baselineVersion: ref,
      bestVersion: ref,
      outputs: { ...ref, orderBy: { version: "asc" } },
      datasetVersion: {
        select: {
          id: true,
          version: true,
          rowCount: true,
          sourceName: true,
          dataset: { select: { name: true } },
        },
      },
    },
  });
  if (!row) return null;
  const version = (v: { id: string; version: number; source: string }): VersionRef => ({
    ...v,
    source: v.source as PromptSource,
  });
  const { dataset, ...datasetVersion } = row.datasetVersion;
  return {
    baselineVersion: version(row.baselineVersion),
    bestVersion: row.bestVersion ? version(row.bestVersion) : null,
    outputs: row.outputs.map(version),
    dataset: { ...datasetVersion, name: dataset.name },
  };
}
