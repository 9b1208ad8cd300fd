// Optimization and evaluation runs with everything they record: iterations, candidates and per-example
// results. Every write is idempotent so that a replayed workflow step overwrites instead of duplicating.
import type { FewShotDemo, MetricScore, ModelParams, ScoredExample } from "@/lib/core/types";
import type { Db } from "./client";
import type { Candidate, ExampleResult, Iteration, OptimizationRun } from "./generated/sqlite/client";
import { json, jsonOrNull } from "./util";

export type RunKind = "optimize" | "eval";
export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type CandidateStatus = "proposed" | "rejected" | "evaluated";

export interface RunTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface CreateRunInput {
  projectId: string;
  taskId: string;
  kind: RunKind;
  baselineVersionId: string;
  datasetVersionId: string;
  /** The run's full configuration (JSON). */
  config: Record<string, unknown>;
  seed: number;
}

export interface RunRecord extends RunTotals {
  id: string;
  projectId: string;
  taskId: string;
  taskName: string;
  kind: RunKind;
  status: RunStatus;
  baselineVersionId: string;
  bestVersionId: string | null;
  datasetVersionId: string;
  config: Record<string, unknown>;
  seed: number;
  error: string | null;
  failedStep: string | null;
  /** The last progress snapshot (JSON), null before the first one. */
  progress: unknown;
  /** The final report (JSON), null until the run finished with one. */
  report: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface IterationInput {
  index: number;
  incumbentScore: number;
  accepted: boolean;
  acceptedCandidate: number | null;
  summary: unknown;
}

export interface IterationRecord extends IterationInput {
  id: string;
  runId: string;
  createdAt: Date;
}

export interface CandidateInput {
  index: number;
  systemPrompt: string;
  outputPrompt: string;
  demos: FewShotDemo[];
  params: ModelParams;
  rationale: string;
  status: CandidateStatus;
  rejectReason?: string | null;
  trainScore?: number | null;
  validationScore?: number | null;
  gainLow?: number | null;
  gainHigh?: number | null;
  accepted?: boolean;
}

export interface CandidateRecord extends Required<CandidateInput> {
  id: string;
  runId: string;
  iteration: number;
}

export interface ExampleResultRecord {
  id: string;
  runId: string;
  phase: string;
  exampleKey: string;
  split: string;
  output: string | null;
  error: string | null;
  score: number;
  metrics: Record<string, MetricScore>;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
}

export interface RunDetail extends RunRecord {
  iterations: IterationRecord[];
  candidates: CandidateRecord[];
}

const CHUNK = 500;
const BULK_TIMEOUT_MS = 5 * 60_000;

function runRecord(row: OptimizationRun & { task: { name: string } }): RunRecord {
  const { task, ...rest } = row;
  return {
    ...rest,
    taskName: task.name,
    kind: row.kind as RunKind,
    status: row.status as RunStatus,
    config: row.config as Record<string, unknown>,
    progress: row.progress ?? null,
    report: row.report ?? null,
  };
}

const iterationRecord = (row: Iteration): IterationRecord => row;

function candidateRecord(row: Candidate): CandidateRecord {
  return {
    ...row,
    demos: row.demos as unknown as FewShotDemo[],
    params: row.params as ModelParams,
    status: row.status as CandidateStatus,
  };
}

function resultRecord(row: ExampleResult): ExampleResultRecord {
  return { ...row, metrics: row.metrics as unknown as Record<string, MetricScore> };
}

const withTask = { task: { select: { name: true } } } as const;

export async function createRun(db: Db, input: CreateRunInput): Promise<RunRecord> {
  const row = await db.optimizationRun.create({
    data: { ...input, config: json(input.config), status: "queued" },
    include: withTask,
  });
  return runRecord(row);
}

/** Status "running"; keeps the first start time when a run resumes, and clears a previous failure. */
export async function markRunStarted(db: Db, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const run = await tx.optimizationRun.findUniqueOrThrow({ where: { id }, select: { startedAt: true } });
    await tx.optimizationRun.update({
      where: { id },
      data: {
        status: "running",
        startedAt: run.startedAt ?? new Date(),
        finishedAt: null,
        error: null,
        failedStep: null,
      },
    });
  });
}

export async function updateRunProgress(
  db: Db,
  id: string,
  progress: unknown,
  totals: RunTotals,
): Promise<void> {
  await db.optimizationRun.update({
    where: { id },
    data: {
      progress: jsonOrNull(progress),
      calls: totals.calls,
      inputTokens: totals.inputTokens,
      outputTokens: totals.outputTokens,
      costUsd: totals.costUsd,
    },
  });
}

export async function upsertIteration(db: Db, runId: string, input: IterationInput): Promise<void> {
  const data = {
    incumbentScore: input.incumbentScore,
    accepted: input.accepted,
    acceptedCandidate: input.acceptedCandidate,
    summary: json(input.summary),
  };
  await db.iteration.upsert({
    where: { runId_index: { runId, index: input.index } },
    create: { runId, index: input.index, ...data },
    update: data,
  });
}

/** Writes the candidates of one iteration; a candidate with the same index is replaced. */
export async function upsertCandidates(
  db: Db,
  runId: string,
  iteration: number,
  candidates: CandidateInput[],
): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const c of candidates) {
      const data = {
        systemPrompt: c.systemPrompt,
        outputPrompt: c.outputPrompt,
        demos: json(c.demos),
        params: json(c.params),
        rationale: c.rationale,
        status: c.status,
        rejectReason: c.rejectReason ?? null,
        trainScore: c.trainScore ?? null,
        validationScore: c.validationScore ?? null,
        gainLow: c.gainLow ?? null,
        gainHigh: c.gainHigh ?? null,
        accepted: c.accepted ?? false,
      };
      await tx.candidate.upsert({
        where: { runId_iteration_index: { runId, iteration, index: c.index } },
        create: { runId, iteration, index: c.index, ...data },
        update: data,
      });
    }
  });
}

/**
 * Records scored examples under `phase` (e.g. "iter-2/train/cand-1"). Replaying the same phase
 * overwrites the rows of the same examples, never duplicates them.
 */
export async function upsertExampleResults(
  db: Db,
  runId: string,
  phase: string,
  split: string,
  results: ScoredExample[],
): Promise<void> {
  const byKey = new Map(results.map((r) => [r.exampleId, r]));
  const rows = [...byKey.values()].map((r) => ({
    runId,
    phase,
    exampleKey: r.exampleId,
    split,
    output: r.output,
    error: r.error,
    score: r.score,
    metrics: json(r.metrics),
    inputTokens: r.usage.inputTokens,
    outputTokens: r.usage.outputTokens,
    costUsd: r.costUsd,
    latencyMs: Math.round(r.latencyMs),
    cached: r.cached,
  }));
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await tx.exampleResult.deleteMany({
          where: { runId, phase, exampleKey: { in: chunk.map((r) => r.exampleKey) } },
        });
        await tx.exampleResult.createMany({ data: chunk });
      }
    },
    { timeout: BULK_TIMEOUT_MS, maxWait: 60_000 },
  );
}

export async function finishRun(
  db: Db,
  id: string,
  outcome: {
    status: Exclude<RunStatus, "queued" | "running">;
    report?: unknown;
    error?: string | null;
    failedStep?: string | null;
    bestVersionId?: string | null;
  },
): Promise<void> {
  await db.optimizationRun.update({
    where: { id },
    data: {
      status: outcome.status,
      finishedAt: new Date(),
      ...(outcome.report !== undefined && outcome.report !== null ? { report: json(outcome.report) } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.failedStep !== undefined ? { failedStep: outcome.failedStep } : {}),
      ...(outcome.bestVersionId !== undefined ? { bestVersionId: outcome.bestVersionId } : {}),
    },
  });
}

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

/** Deletes a run and, by cascade, its iterations, candidates, results and checkpoints. */
export async function deleteRun(db: Db, id: string): Promise<boolean> {
  const { count } = await db.optimizationRun.deleteMany({ where: { id } });
  return count > 0;
}

const ACTIVE: RunStatus[] = ["queued", "running"];

/** The status of a run, or null when there is no such run. */
export async function getRunStatus(db: Db, id: string): Promise<RunStatus | null> {
  const row = await db.optimizationRun.findUnique({ where: { id }, select: { status: true } });
  return row ? (row.status as RunStatus) : null;
}

/**
 * Moves a queued or running run to "running" (keeping its first start time) and returns true; returns
 * false, changing nothing, when the run is finished or cancelled. Called each time a runner picks the
 * run up, including when it resumes or replays it.
 */
export async function claimRun(db: Db, id: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const run = await tx.optimizationRun.findUnique({ where: { id }, select: { startedAt: true } });
    if (!run) return false;
    const { count } = await tx.optimizationRun.updateMany({
      where: { id, status: { in: ACTIVE } },
      data: { status: "running", startedAt: run.startedAt ?? new Date(), finishedAt: null },
    });
    return count > 0;
  });
}

/** Marks a queued or running run cancelled (now); false when it had already finished. */
export async function markRunCancelled(db: Db, id: string): Promise<boolean> {
  const { count } = await db.optimizationRun.updateMany({
    where: { id, status: { in: ACTIVE } },
    data: { status: "cancelled", finishedAt: new Date() },
  });
  return count > 0;
}

/**
 * `finishRun`, but only while the run is still queued or running: a run cancelled in the meantime stays
 * cancelled. True when the outcome was written.
 */
export async function finishActiveRun(
  db: Db,
  id: string,
  outcome: {
    status: "succeeded" | "failed";
    report?: unknown;
    error?: string | null;
    failedStep?: string | null;
    bestVersionId?: string | null;
  },
): Promise<boolean> {
  const { count } = await db.optimizationRun.updateMany({
    where: { id, status: { in: ACTIVE } },
    data: {
      status: outcome.status,
      finishedAt: new Date(),
      ...(outcome.report !== undefined && outcome.report !== null ? { report: json(outcome.report) } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.failedStep !== undefined ? { failedStep: outcome.failedStep } : {}),
      ...(outcome.bestVersionId !== undefined ? { bestVersionId: outcome.bestVersionId } : {}),
    },
  });
  return count > 0;
}

/** Runs still queued or running (every project), oldest first: what a restarted runner picks up. */
export async function listUnfinishedRuns(db: Db): Promise<RunRecord[]> {
  const rows = await db.optimizationRun.findMany({
    where: { status: { in: ACTIVE } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: withTask,
  });
  return rows.map(runRecord);
}

/** Step ids of a run's finished steps, in the order they finished. */
export async function listCheckpointIds(db: Db, runId: string): Promise<string[]> {
  const rows = await db.stepCheckpoint.findMany({
    where: { runId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { stepId: true },
  });
  return rows.map((r) => r.stepId);
}
