// Writing a run as it executes: created queued, started, its progress, each iteration with its
// candidates, per-example results, and how it finished. Every write is idempotent so that a replayed
// workflow step overwrites instead of duplicating; every JSON value is checked against its schema as it
// is stored (stored-state.ts), so what is read back always parses.
import { randomUUID } from "node:crypto";
import type { ScoredExample } from "@/lib/core/types";
import type { RunProgress, RunReport } from "@/lib/validation/run-state";
import { StoredStateError } from "@/lib/validation/stored-document";
import {
  iterationSummaryDocument,
  runConfigDocument,
  runProgressDocument,
} from "@/lib/validation/stored-state";
import { type AuditActor, audited } from "../audit";
import type { Db, Tx } from "../client";
import { Prisma } from "../generated/sqlite/client";
import { insertValues } from "../raw-insert";
import { json } from "../util";
import {
  ACTIVE_RUN_STATUSES,
  type CandidateInput,
  type IterationInput,
  type RunKind,
  type RunRecord,
  type RunStatus,
  type RunTotals,
  runRecord,
  withTask,
  writeRunReport,
} from "./records";

const CHUNK = 500;
const BULK_TIMEOUT_MS = 5 * 60_000;

export interface CreateRunInput {
  projectId: string;
  taskId: string;
  kind: RunKind;
  baselineVersionId: string;
  datasetVersionId: string;
  /** The run's full configuration. */
  config: RunRecord["config"];
  seed: number;
}

/** Who changed a run, for its audit entry (runs changed through the API). */
export interface RunAudit {
  actor: AuditActor;
  organizationId: string;
}

/** A queued run; with `audit`, committed together with its "run.created" entry. */
export async function createRun(db: Db, input: CreateRunInput, audit?: RunAudit): Promise<RunRecord> {
  const config = runConfigDocument.write(input.config, `new run of task ${input.taskId}: config`);
  const create = async (client: Db | Tx) =>
    runRecord(
      await client.optimizationRun.create({
        data: { ...input, config: json(config), status: "queued" },
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
  progress: RunProgress,
  totals: RunTotals,
): Promise<void> {
  await db.optimizationRun.update({
    where: { id },
    data: {
      progress: json(runProgressDocument.write(progress, `run ${id}: progress`)),
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
    summary: json(iterationSummaryDocument.write(input.summary, `run ${runId}: iteration ${input.index}`)),
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

const RESULT_COLUMNS = [
  "id",
  "runId",
  "phase",
  "exampleKey",
  "split",
  "output",
  "error",
  "score",
  "metrics",
  "inputTokens",
  "outputTokens",
  "costUsd",
  "latencyMs",
  "cached",
];
const REPLACE_RESULT = Prisma.sql`ON CONFLICT ("runId", "phase", "exampleKey") DO UPDATE SET
  "split" = excluded."split", "output" = excluded."output", "error" = excluded."error",
  "score" = excluded."score", "metrics" = excluded."metrics", "inputTokens" = excluded."inputTokens",
  "outputTokens" = excluded."outputTokens", "costUsd" = excluded."costUsd",
  "latencyMs" = excluded."latencyMs", "cached" = excluded."cached"`;

/**
 * Records scored examples under `phase` (lib/core/step-ids.ts: e.g. "iter-2/train/cand-1"). Replaying
 * the same phase overwrites the rows of the same examples, never duplicates them.
 *
 * One multi-row INSERT … ON CONFLICT per chunk (../raw-insert.ts): a createMany's plan, compiled anew
 * each time, took 14–33 ms of the process's one thread for 64 results, stalling every call in flight.
 * SQLite and PostgreSQL both upsert natively.
 */
export async function upsertExampleResults(
  db: Db,
  runId: string,
  phase: string,
  split: string,
  results: ScoredExample[],
): Promise<void> {
  const byKey = new Map(results.map((r) => [r.exampleId, r]));
  const rows = [...byKey.values()].map((r) => [
    randomUUID(),
    runId,
    phase,
    r.exampleId,
    split,
    r.output ?? null,
    r.error ?? null,
    r.score,
    JSON.stringify(r.metrics ?? null),
    r.usage.inputTokens,
    r.usage.outputTokens,
    r.costUsd,
    Math.round(r.latencyMs),
    r.cached,
  ]);
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < rows.length; i += CHUNK)
        await insertValues(tx, "ExampleResult", RESULT_COLUMNS, rows.slice(i, i + CHUNK), REPLACE_RESULT);
    },
    { timeout: BULK_TIMEOUT_MS, maxWait: 60_000 },
  );
}

export interface RunOutcomeInput {
  /** The run's report; its `kind` must be the run's. */
  report?: RunReport | null;
  error?: string | null;
  failedStep?: string | null;
  bestVersionId?: string | null;
}

/** The columns an outcome sets; a report whose kind is not the run's is refused (StoredStateError). */
async function outcomeData(db: Db, id: string, status: RunStatus, outcome: RunOutcomeInput) {
  const { report } = outcome;
  if (report) {
    const row = await db.optimizationRun.findUnique({ where: { id }, select: { kind: true } });
    if (row && row.kind !== report.kind)
      throw new StoredStateError(
        `run ${id}: report`,
        `the run is of kind "${row.kind}": a report of kind "${report.kind}" cannot finish it`,
      );
  }
  return {
    status,
    finishedAt: new Date(),
    ...(report ? { report: json(writeRunReport(report, id)) } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    ...(outcome.failedStep !== undefined ? { failedStep: outcome.failedStep } : {}),
    ...(outcome.bestVersionId !== undefined ? { bestVersionId: outcome.bestVersionId } : {}),
  };
}

export async function finishRun(
  db: Db,
  id: string,
  outcome: RunOutcomeInput & { status: Exclude<RunStatus, "queued" | "running"> },
): Promise<void> {
  await db.optimizationRun.update({
    where: { id },
    data: await outcomeData(db, id, outcome.status, outcome),
  });
}

/**
 * `finishRun`, but only while the run is still queued or running: a run cancelled in the meantime stays
 * cancelled. True when the outcome was written.
 */
export async function finishActiveRun(
  db: Db,
  id: string,
  outcome: RunOutcomeInput & { status: "succeeded" | "failed" },
): Promise<boolean> {
  const { count } = await db.optimizationRun.updateMany({
    where: { id, status: { in: ACTIVE_RUN_STATUSES } },
    data: await outcomeData(db, id, outcome.status, outcome),
  });
  return count > 0;
}
