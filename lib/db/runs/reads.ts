// Reading runs: one run with everything it recorded, a project's runs (newest first, or page by page),
// what the live events stream polls, and the prompt and dataset versions a run refers to.
import { z } from "zod";
import type { PromptSource } from "@/lib/validation/prompts";
import type { RunProgress, RunReport } from "@/lib/validation/run-state";
import type { Db } from "../client";
import { keysetPage, type Page, type PageCursor } from "../pagination";
import { readPromptSource } from "../prompts/versions";
import {
  type CandidateRecord,
  candidateRecord,
  type ExampleResultRecord,
  type IterationRecord,
  iterationRecord,
  type RunDetail,
  type RunKind,
  type RunRecord,
  type RunStatus,
  type RunTotals,
  readRunKind,
  readRunProgress,
  readRunReport,
  readRunStatus,
  resultRecord,
  runRecord,
  withTask,
} from "./records";

/** The project's runs, newest first, with their task name. */
export async function listRuns(
  db: Db,
  projectId: string,
  options: { limit?: number } = {},
): Promise<RunRecord[]> {
  const rows = await db.optimizationRun.findMany({
    where: { projectId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 50,
    include: withTask,
  });
  return rows.map(runRecord);
}

/** A run with its iterations (by index) and candidates (by iteration, then index). */
export async function getRun(db: Db, id: string): Promise<RunDetail | null> {
  const row = await db.optimizationRun.findUnique({
    where: { id },
    include: {
      ...withTask,
      iterations: { orderBy: { index: "asc" } },
      candidates: { orderBy: [{ iteration: "asc" }, { index: "asc" }] },
    },
  });
  if (!row) return null;
  const { iterations, candidates, ...run } = row;
  return {
    ...runRecord(run),
    iterations: iterations.map(iterationRecord),
    candidates: candidates.map(candidateRecord),
  };
}

/** Per-example results of a run (optionally one phase), by phase then example key. */
export async function listExampleResults(
  db: Db,
  runId: string,
  options: { phase?: string } = {},
): Promise<ExampleResultRecord[]> {
  const rows = await db.exampleResult.findMany({
    where: { runId, ...(options.phase !== undefined ? { phase: options.phase } : {}) },
    orderBy: [{ phase: "asc" }, { exampleKey: "asc" }],
  });
  return rows.map(resultRecord);
}

/**
 * The results recorded under `phase` for the examples with keys `keys` (absent keys have none): what the
 * workflow reads back inside a step, since steps return counts, not outputs.
 */
export async function readPhaseResults(
  db: Db,
  runId: string,
  phase: string,
  keys: readonly string[],
): Promise<ExampleResultRecord[]> {
  const found: ExampleResultRecord[] = [];
  for (let i = 0; i < keys.length; i += READ_KEYS_AT_ONCE) {
    const rows = await db.exampleResult.findMany({
      where: { runId, phase, exampleKey: { in: keys.slice(i, i + READ_KEYS_AT_ONCE) } },
    });
    found.push(...rows.map(resultRecord));
  }
  return found;
}

const READ_KEYS_AT_ONCE = 500;

export interface LiveIteration extends IterationRecord {
  candidates: CandidateRecord[];
}

export interface RunLiveState extends RunTotals {
  status: RunStatus;
  progress: RunProgress | null;
  error: string | null;
  failedStep: string | null;
  /** Finished iterations with index ≥ the one asked for, by index, each with its candidates. */
  iterations: LiveIteration[];
}

/** What the events stream polls: status, totals, progress, and the iterations from `fromIteration` on. */
export async function getRunLiveState(
  db: Db,
  runId: string,
  fromIteration: number,
): Promise<RunLiveState | null> {
  const row = await db.optimizationRun.findUnique({
    where: { id: runId },
    select: {
      status: true,
      progress: true,
      error: true,
      failedStep: true,
      calls: true,
      inputTokens: true,
      outputTokens: true,
      costUsd: true,
      iterations: { where: { index: { gte: fromIteration } }, orderBy: { index: "asc" } },
    },
  });
  if (!row) return null;
  const indexes = row.iterations.map((i) => i.index);
  const candidates =
    indexes.length > 0
      ? await db.candidate.findMany({
          where: { runId, iteration: { in: indexes } },
          orderBy: [{ iteration: "asc" }, { index: "asc" }],
        })
      : [];
  return {
    ...row,
    status: readRunStatus(row.status, runId),
    progress: readRunProgress(row.progress, runId),
    iterations: row.iterations.map((iteration) => ({
      ...iterationRecord(iteration),
      candidates: candidates.filter((c) => c.iteration === iteration.index).map(candidateRecord),
    })),
  };
}

export interface RunListItem {
  id: string;
  taskName: string;
  kind: RunKind;
  status: RunStatus;
  /** The final report, null until the run finished with one. */
  report: RunReport | null;
  error: string | null;
  /** The last progress snapshot, null before the first one. */
  progress: RunProgress | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The task and optimizer model ids of the run's config; null when its config cannot say. */
  models: { task: string; optimizer: string } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Only the model ids of a stored run config (the list shows them; the rest is parsed when a run is read). */
const configModelsSchema = z.object({
  models: z.object({ task: z.object({ id: z.string() }), optimizer: z.object({ id: z.string() }) }),
});

function configModels(config: unknown): RunListItem["models"] {
  const parsed = configModelsSchema.safeParse(config);
  if (!parsed.success) return null;
  return { task: parsed.data.models.task.id, optimizer: parsed.data.models.optimizer.id };
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
        config: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
        task: { select: { name: true } },
      },
    });
    return rows.map(({ task, config, ...row }) => {
      const kind = readRunKind(row.kind, row.id);
      return {
        ...row,
        models: configModels(config),
        taskName: task.name,
        kind,
        status: readRunStatus(row.status, row.id),
        report: readRunReport(kind, row.report, row.id),
        progress: readRunProgress(row.progress, row.id),
      };
    });
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
    source: readPromptSource(v.source, v.id),
  });
  const { dataset, ...datasetVersion } = row.datasetVersion;
  return {
    baselineVersion: version(row.baselineVersion),
    bestVersion: row.bestVersion ? version(row.bestVersion) : null,
    outputs: row.outputs.map(version),
    dataset: { ...datasetVersion, name: dataset.name },
  };
}
