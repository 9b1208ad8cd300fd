// What the runs repository hands out: a run with its typed config, progress and report (a union by
// `kind`), its iterations, candidates and per-example results. Stored JSON is parsed here, once, with the
// schemas of lib/validation; the shapes are the API's (lib/validation/runs.ts) wherever the two agree.

import type * as z from "zod";
import type { MetricScore } from "@/lib/core/types";
import type { LatencySummary } from "@/lib/validation/common";
import type { RunProgress, RunReport } from "@/lib/validation/run-state";
import {
  type CandidateStatus,
  type candidateSchema,
  candidateStatusSchema,
  type iterationSchema,
  type RunKind,
  type RunStatus,
  runKindSchema,
  runStatusSchema,
  type StoredRunConfig,
} from "@/lib/validation/runs";
import { readStored } from "@/lib/validation/stored-document";
import {
  evaluationReportDocument,
  iterationSummaryDocument,
  latencyDocument,
  optimizationReportDocument,
  runConfigDocument,
  runProgressDocument,
  storedDemosSchema,
  storedMetricScoresSchema,
  storedParamsSchema,
} from "@/lib/validation/stored-state";
import type { Candidate, ExampleResult, Iteration, OptimizationRun } from "../generated/sqlite/client";

export type { CandidateStatus, RunKind, RunStatus };

export interface RunTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Provider requests the gateway retried (429s, 5xx, timeouts). */
  retries?: number;
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
  /** The complete task file the run executes, and where it came from. */
  config: StoredRunConfig;
  seed: number;
  error: string | null;
  failedStep: string | null;
  /** The last progress snapshot, null before the first one. */
  progress: RunProgress | null;
  /** The final report (its `kind` is the run's), null until the run finished with one. */
  report: RunReport | null;
  retries: number;
  /** Latency of the task model's calls, stored when the run finished (null before). */
  latency: LatencySummary | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** An iteration as the API shows it, with its run. */
export type IterationRecord = z.output<typeof iterationSchema> & { runId: string };
export type IterationInput = Omit<IterationRecord, "id" | "runId" | "createdAt">;

/** A candidate as the API shows it, with its run. */
export type CandidateRecord = z.output<typeof candidateSchema> & { runId: string };
export type CandidateInput = Omit<
  CandidateRecord,
  | "id"
  | "runId"
  | "iteration"
  | "rejectReason"
  | "trainScore"
  | "validationScore"
  | "gainLow"
  | "gainHigh"
  | "accepted"
> &
  Partial<
    Pick<CandidateRecord, "rejectReason" | "trainScore" | "validationScore" | "gainLow" | "gainHigh">
  > & {
    accepted?: boolean;
  };

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

/** Runs a runner may still pick up. */
export const ACTIVE_RUN_STATUSES: RunStatus[] = ["queued", "running"];

export const withTask = { task: { select: { name: true } } } as const;

export const readRunKind = (value: string, runId: string): RunKind =>
  readStored(runKindSchema, value, `run ${runId}: kind`);
export const readRunStatus = (value: string, runId: string): RunStatus =>
  readStored(runStatusSchema, value, `run ${runId}: status`);

/** The stored report of a run of `kind`, tagged with it; null when there is none yet. */
export function readRunReport(kind: RunKind, value: unknown, runId: string): RunReport | null {
  if (value === null || value === undefined) return null;
  const where = `run ${runId}: report`;
  return kind === "optimize"
    ? { kind, ...optimizationReportDocument.read(value, where) }
    : { kind, ...evaluationReportDocument.read(value, where) };
}

/** A report as stored (without its kind: the run's row has it). */
export function writeRunReport(report: RunReport, runId: string): Record<string, unknown> {
  const where = `run ${runId}: report`;
  return report.kind === "optimize"
    ? optimizationReportDocument.write(report, where)
    : evaluationReportDocument.write(report, where);
}

export const readRunProgress = (value: unknown, runId: string): RunProgress | null =>
  value === null || value === undefined ? null : runProgressDocument.read(value, `run ${runId}: progress`);

export function runRecord(row: OptimizationRun & { task: { name: string } }): RunRecord {
  const { task, ...rest } = row;
  const kind = readRunKind(row.kind, row.id);
  return {
    ...rest,
    taskName: task.name,
    kind,
    status: readRunStatus(row.status, row.id),
    config: runConfigDocument.read(row.config, `run ${row.id}: config`),
    progress: readRunProgress(row.progress, row.id),
    report: readRunReport(kind, row.report, row.id),
    latency:
      row.latency === null || row.latency === undefined
        ? null
        : latencyDocument.read(row.latency, `run ${row.id}: latency`),
  };
}

export function iterationRecord(row: Iteration): IterationRecord {
  return {
    ...row,
    summary: iterationSummaryDocument.read(row.summary, `run ${row.runId}: iteration ${row.index} summary`),
  };
}

export function candidateRecord(row: Candidate): CandidateRecord {
  const where = `run ${row.runId}: iteration ${row.iteration} candidate ${row.index}`;
  return {
    ...row,
    demos: readStored(storedDemosSchema, row.demos, `${where} demos`),
    params: readStored(storedParamsSchema, row.params, `${where} params`),
    status: readStored(candidateStatusSchema, row.status, `${where} status`),
  };
}

export function resultRecord(row: ExampleResult): ExampleResultRecord {
  return {
    ...row,
    metrics: readStored(storedMetricScoresSchema, row.metrics, `run ${row.runId}: result ${row.id} metrics`),
  };
}
