// Optimization and evaluation runs with everything they record: iterations, candidates and per-example
// results. Every write is idempotent so that a replayed workflow step overwrites instead of duplicating.
import { ConflictError } from "@/lib/core/errors";
import type { FewShotDemo, MetricScore, ModelParams, PromptState, ScoredExample } from "@/lib/core/types";
import { type AuditActor, audited } from "./audit";
import type { Db, Tx } from "./client";
import {
  type Candidate,
  type ExampleResult,
  type Iteration,
  type OptimizationRun,
  Prisma,
} from "./generated/sqlite/client";
import type { LatencySummary } from "./latency";
import { createPromptVersionIn, type PromptVersionRecord } from "./prompt-versions";
import { json, jsonOrNull, retryOnUniqueViolation } from "./util";

export type RunKind = "optimize" | "eval";
export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type CandidateStatus = "proposed" | "rejected" | "evaluated";

export interface RunTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Provider requests the gateway retried (429s, 5xx, timeouts). */
  retries?: number;
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
  retries: number;
  /** Latency of the task model's calls, stored when the run finished (null before). */
  latency: LatencySummary | null;
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
    latency: (row.latency as LatencySummary | null) ?? null,
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

/** Who changed a run, for its audit entry (runs changed through the API). */
export interface RunAudit {
  actor: AuditActor;
  organizationId: string;
}

/** A queued run; with `audit`, committed together with its "run.created" entry. */
export async function createRun(db: Db, input: CreateRunInput, audit?: RunAudit): Promise<RunRecord> {
  const create = async (client: Db | Tx) =>
    runRecord(
      await client.optimizationRun.create({
        data: { ...input, config: json(input.config), status: "queued" },
        include: withTask,
      }),
    );
  if (!audit) return create(db);
  return audited(db, audit.actor, async (tx) => {
    const run = await create(tx);
    return {
      result: run,
      audit: {
        action: "run.created",
        organizationId: audit.organizationId,
        projectId: run.projectId,
        targetType: "run",
        targetId: run.id,
        targetLabel: run.taskName,
        after: {
          task: run.taskName,
          kind: run.kind,
          baselineVersionId: run.baselineVersionId,
          datasetVersionId: run.datasetVersionId,
        },
      },
    };
  });
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
      ...(totals.retries !== undefined ? { retries: totals.retries } : {}),
    },
  });
}

export async function upsertIteration(db: Db | Tx, runId: string, input: IterationInput): Promise<void> {
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
  await db.$transaction((tx) => writeCandidates(tx, runId, iteration, candidates));
}

/**
 * A finished iteration and its candidates in one transaction: a reader (the events stream) sees the
 * iteration only together with its candidates.
 */
export async function recordIteration(
  db: Db,
  runId: string,
  input: IterationInput,
  candidates: CandidateInput[],
): Promise<void> {
  await db.$transaction(async (tx) => {
    await upsertIteration(tx, runId, input);
    await writeCandidates(tx, runId, input.index, candidates);
  });
}

async function writeCandidates(
  tx: Tx,
  runId: string,
  iteration: number,
  candidates: CandidateInput[],
): Promise<void> {
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

/**
 * Marks a queued or running run cancelled (now); false when it had already finished. With `audit`, the
 * change commits together with its "run.cancelled" entry (none when nothing changed).
 */
export async function markRunCancelled(db: Db, id: string, audit?: RunAudit): Promise<boolean> {
  const cancel = async (client: Db | Tx) =>
    (
      await client.optimizationRun.updateMany({
        where: { id, status: { in: ACTIVE } },
        data: { status: "cancelled", finishedAt: new Date() },
      })
    ).count > 0;
  if (!audit) return cancel(db);
  return audited(db, audit.actor, async (tx) => {
    const before = await tx.optimizationRun.findUnique({
      where: { id },
      select: { projectId: true, status: true, task: { select: { name: true } } },
    });
    const cancelled = before ? await cancel(tx) : false;
    return {
      result: cancelled,
      audit:
        cancelled && before
          ? {
              action: "run.cancelled",
              organizationId: audit.organizationId,
              projectId: before.projectId,
              targetType: "run",
              targetId: id,
              targetLabel: before.task.name,
              before: { status: before.status },
              after: { status: "cancelled" },
            }
          : null,
    };
  });
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

// ---- The Runs API: saving the winner, the live state, per-example results --------------------------------

/** The step that saves a run's winner (the engine's, for CLI runs; the API's save uses the same key). */
export const SAVE_WINNER_STEP = "finish/save-winner";

export interface SaveWinnerInput {
  runId: string;
  /** The project's organization, for the audit entry. */
  organizationId: string;
  content: PromptState;
  note: string;
}

/** The version a run's winner was saved as, or null: by the save step's record, else the run's best. */
async function savedWinnerVersion(
  client: Db | Tx,
  run: { id: string; baselineVersionId: string; bestVersionId: string | null },
): Promise<number | null> {
  const checkpoint = await client.stepCheckpoint.findUnique({
    where: { runId_stepId: { runId: run.id, stepId: SAVE_WINNER_STEP } },
    select: { result: true },
  });
  if (checkpoint) {
    const version = (JSON.parse(checkpoint.result) as { version?: unknown } | null)?.version;
    return typeof version === "number" ? version : 0;
  }
  if (run.bestVersionId && run.bestVersionId !== run.baselineVersionId) {
    const best = await client.promptVersion.findUnique({
      where: { id: run.bestVersionId },
      select: { version: true },
    });
    return best?.version ?? 0;
  }
  return null;
}

/**
 * Saves a succeeded run's winner as a new prompt version (source "optimization") and points the run's
 * best version at it, in one transaction with its "run.winner_saved" audit entry and the save step's
 * record, so a run's winner is saved at most once (also against the engine's own save, and against
 * concurrent requests): a second save is a ConflictError naming the saved version.
 */
export function saveRunWinnerVersion(
  db: Db,
  input: SaveWinnerInput,
  actor: AuditActor,
): Promise<PromptVersionRecord> {
  return retryOnUniqueViolation(() =>
    audited(db, actor, async (tx) => {
      const run = await tx.optimizationRun.findUnique({
        where: { id: input.runId },
        select: {
          id: true,
          projectId: true,
          taskId: true,
          status: true,
          baselineVersionId: true,
          bestVersionId: true,
          task: { select: { name: true } },
        },
      });
      if (!run) throw new ConflictError(`run ${input.runId} no longer exists`);
      const saved = await savedWinnerVersion(tx, run);
      if (saved !== null) {
        throw new ConflictError(`the winner of run ${run.id} is already saved as version ${saved}`, {
          version: saved,
        });
      }
      if (run.status !== "succeeded")
        throw new ConflictError(`run ${run.id} is ${run.status}; only a succeeded run's winner can be saved`);
      const version = await createPromptVersionIn(tx, run.taskId, input.content, {
        source: "optimization",
        runId: run.id,
        note: input.note,
      });
      await tx.stepCheckpoint.create({
        data: {
          runId: run.id,
          stepId: SAVE_WINNER_STEP,
          result: JSON.stringify({ version: version.version }),
        },
      });
      await tx.optimizationRun.update({ where: { id: run.id }, data: { bestVersionId: version.id } });
      return {
        result: version,
        audit: {
          action: "run.winner_saved",
          organizationId: input.organizationId,
          projectId: run.projectId,
          targetType: "run",
          targetId: run.id,
          targetLabel: run.task.name,
          after: { task: run.task.name, version: version.version, promptVersionId: version.id },
        },
      };
    }),
  );
}

/** Whether (and as which version number) a run's winner was saved. */
export async function getSavedWinnerVersion(db: Db, runId: string): Promise<number | null> {
  const run = await db.optimizationRun.findUnique({
    where: { id: runId },
    select: { id: true, baselineVersionId: true, bestVersionId: true },
  });
  return run ? savedWinnerVersion(db, run) : null;
}

export interface LiveIteration extends IterationRecord {
  candidates: CandidateRecord[];
}

export interface RunLiveState extends RunTotals {
  status: RunStatus;
  progress: unknown;
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
    status: row.status as RunStatus,
    progress: row.progress ?? null,
    iterations: row.iterations.map((iteration) => ({
      ...iterationRecord(iteration),
      candidates: candidates.filter((c) => c.iteration === iteration.index).map(candidateRecord),
    })),
  };
}

export type ResultFilter = "all" | "regressed" | "improved" | "unchanged";

export interface ResultSide {
  output: string | null;
  error: string | null;
  score: number;
}

export interface PairedResult {
  exampleKey: string;
  rowNumber: number;
  input: Record<string, string>;
  expected: string;
  baseline: ResultSide;
  /** null without a winner phase, or when the winner was not scored on this example. */
  winner: ResultSide | null;
}

/** Where a page of results starts: after this example (dataset row order). */
export interface ResultCursor {
  rowNumber: number;
  key: string;
}

export interface PairedResultsQuery {
  runId: string;
  /** The run's dataset version: results join its examples by key. */
  datasetVersionId: string;
  /** The phase every listed example has a result in, e.g. "final/test/baseline". */
  phase: string;
  /** The phase paired with it by example key (e.g. "final/test/best"); null: none. */
  pairedPhase: string | null;
  /** Compares the paired score with the first one; anything but "all" needs `pairedPhase`. */
  filter: ResultFilter;
  after: ResultCursor | null;
  limit: number;
}

const FILTERS: Record<Exclude<ResultFilter, "all">, Prisma.Sql> = {
  regressed: Prisma.sql`AND w."score" < b."score"`,
  improved: Prisma.sql`AND w."score" > b."score"`,
  unchanged: Prisma.sql`AND w."score" = b."score"`,
};

/**
 * One page of a run's results of `phase`, paired with `pairedPhase` by example key, with each example's
 * input and expected output, in dataset row order (keyset over rowNumber, key). The page's keys come
 * from one SQL join (filtered in the database); its rows are then read by key.
 */
export async function pagePairedResults(
  db: Db,
  query: PairedResultsQuery,
): Promise<{ items: PairedResult[]; next: ResultCursor | null }> {
  const { runId, datasetVersionId, phase, pairedPhase, filter, after, limit } = query;
  if (filter !== "all" && !pairedPhase)
    throw new Error(`pagePairedResults: filter ${filter} needs a pairedPhase`);
  const join = pairedPhase
    ? Prisma.sql`LEFT JOIN "ExampleResult" w
        ON w."runId" = b."runId" AND w."phase" = ${pairedPhase} AND w."exampleKey" = b."exampleKey"`
    : Prisma.empty;
  const cursor = after
    ? Prisma.sql`AND (e."rowNumber" > ${after.rowNumber} OR (e."rowNumber" = ${after.rowNumber} AND e."key" > ${after.key}))`
    : Prisma.empty;
  const keys = await db.$queryRaw<{ key: string; rowNumber: number | bigint }[]>`
    SELECT e."key" AS "key", e."rowNumber" AS "rowNumber"
    FROM "ExampleResult" b
    JOIN "Example" e ON e."datasetVersionId" = ${datasetVersionId} AND e."key" = b."exampleKey"
    ${join}
    WHERE b."runId" = ${runId} AND b."phase" = ${phase} ${cursor} ${filter === "all" ? Prisma.empty : FILTERS[filter]}
    ORDER BY e."rowNumber" ASC, e."key" ASC
    LIMIT ${limit + 1}`;
  const page = keys.slice(0, limit).map((k) => ({ key: k.key, rowNumber: Number(k.rowNumber) }));
  const pageKeys = page.map((k) => k.key);
  const phases = pairedPhase && pairedPhase !== phase ? [phase, pairedPhase] : [phase];
  const [examples, results] = await Promise.all([
    db.example.findMany({
      where: { datasetVersionId, key: { in: pageKeys } },
      select: { key: true, input: true, expected: true },
    }),
    db.exampleResult.findMany({
      where: { runId, phase: { in: phases }, exampleKey: { in: pageKeys } },
      select: { phase: true, exampleKey: true, output: true, error: true, score: true },
    }),
  ]);
  const exampleByKey = new Map(examples.map((e) => [e.key, e]));
  const byPhaseKey = new Map(results.map((r) => [`${r.phase}\u0000${r.exampleKey}`, r]));
  const side = (p: string, key: string): ResultSide | null => {
    const r = byPhaseKey.get(`${p}\u0000${key}`);
    return r ? { output: r.output, error: r.error, score: r.score } : null;
  };
  const items = page.map(({ key, rowNumber }): PairedResult => {
    const example = exampleByKey.get(key);
    return {
      exampleKey: key,
      rowNumber,
      input: (example?.input ?? {}) as Record<string, string>,
      expected: example?.expected ?? "",
      baseline: side(phase, key) ?? { output: null, error: null, score: 0 },
      winner: pairedPhase ? side(pairedPhase, key) : null,
    };
  });
  const last = page[page.length - 1];
  return { items, next: keys.length > limit && last ? { rowNumber: last.rowNumber, key: last.key } : null };
}
