// The data an analysis job reads (the automatic metrics' sums over the experiment's generations; a feedback
// metric's sums come from pre-period.ts) and what it writes: its job row (status), and once its
// snapshot with the bandit weights and the time of the analysis, in one transaction.
import type { AutomaticMetric, ExperimentSnapshot } from "@/lib/validation/experiments";
import { experimentSnapshotSchema } from "@/lib/validation/experiments";
import { readStored } from "@/lib/validation/stored-document";
import type { Db } from "../client";
import { isUniqueViolation, json } from "../util";

/** One variant's sums of an automatic metric over its generations (n, Σx, Σx²). */
export interface MetricSums {
  n: number;
  sum: number;
  sumSquares: number;
}

type SumsRow = {
  variantId: string;
  n: number | bigint;
  errors: number | null;
  latency: number | null;
  latency2: number | null;
  cost: number | null;
  cost2: number | null;
  tokens: number | null;
  tokens2: number | null;
};

/**
 * Per variant id, the sums of every automatic metric over the generations served under the experiment:
 * one grouped query, so an analysis of millions of generations reads a row per variant.
 */
export async function automaticMetricSums(
  db: Db,
  experimentId: string,
): Promise<Map<string, Record<AutomaticMetric, MetricSums>>> {
  const rows = await db.$queryRaw<SumsRow[]>`
    SELECT e."variantId" AS "variantId", COUNT(*) AS "n",
      SUM(CASE WHEN g."error" IS NULL THEN 0 ELSE 1 END) AS "errors",
      SUM(CAST(g."latencyMs" AS DOUBLE PRECISION)) AS "latency",
      SUM(CAST(g."latencyMs" AS DOUBLE PRECISION) * CAST(g."latencyMs" AS DOUBLE PRECISION)) AS "latency2",
      SUM(CAST(g."costUsd" AS DOUBLE PRECISION)) AS "cost",
      SUM(CAST(g."costUsd" AS DOUBLE PRECISION) * CAST(g."costUsd" AS DOUBLE PRECISION)) AS "cost2",
      SUM(CAST(g."outputTokens" AS DOUBLE PRECISION)) AS "tokens",
      SUM(CAST(g."outputTokens" AS DOUBLE PRECISION) * CAST(g."outputTokens" AS DOUBLE PRECISION)) AS "tokens2"
    FROM "Generation" g JOIN "Exposure" e ON e."id" = g."exposureId"
    WHERE e."experimentId" = ${experimentId}
    GROUP BY e."variantId"`;
  const sums = (n: number, sum: unknown, squares: unknown): MetricSums => ({
    n,
    sum: Number(sum ?? 0),
    sumSquares: Number(squares ?? 0),
  });
  return new Map(
    rows.map((row) => {
      const n = Number(row.n);
      return [
        row.variantId,
        {
          // 0/1 values: each square is the value itself.
          errorRate: sums(n, row.errors, row.errors),
          latencyMs: sums(n, row.latency, row.latency2),
          costUsd: sums(n, row.cost, row.cost2),
          outputTokens: sums(n, row.tokens, row.tokens2),
        },
      ];
    }),
  );
}

export interface StoredAnalysis extends ExperimentSnapshot {
  id: string;
  createdAt: Date;
}

/** The analysis job's row, as the engine and the job's steps read it. */
export interface AnalysisJobRecord {
  id: string;
  experimentId: string;
  projectId: string;
  status: JobStatusName;
  trigger: "schedule" | "manual";
  snapshot: ExperimentSnapshot | null;
  error: string | null;
  failedStep: string | null;
}

type JobStatusName = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** Queues an analysis of the experiment; returns its id. */
export async function queueAnalysis(
  db: Db,
  experimentId: string,
  trigger: "schedule" | "manual",
): Promise<{ id: string; projectId: string }> {
  const row = await db.experimentAnalysis.create({
    data: { experimentId, trigger },
    select: { id: true, experiment: { select: { projectId: true } } },
  });
  return { id: row.id, projectId: row.experiment.projectId };
}

/**
 * A scheduled analysis under the schedule's own id (one per experiment and interval); null when it is
 * queued already — app instances whose timers fire together queue it once, where a check followed by
 * an insert would let both through.
 */
export async function queueScheduledAnalysis(
  db: Db,
  experimentId: string,
  id: string,
): Promise<{ id: string; projectId: string } | null> {
  try {
    const row = await db.experimentAnalysis.create({
      data: { id, experimentId, trigger: "schedule" },
      select: { id: true, experiment: { select: { projectId: true } } },
    });
    return { id: row.id, projectId: row.experiment.projectId };
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export async function getAnalysisJob(db: Db, id: string): Promise<AnalysisJobRecord | null> {
  const row = await db.experimentAnalysis.findUnique({
    where: { id },
    include: { experiment: { select: { projectId: true } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    experimentId: row.experimentId,
    projectId: row.experiment.projectId,
    status: row.status as JobStatusName,
    trigger: row.trigger === "schedule" ? "schedule" : "manual",
    snapshot:
      row.result === null
        ? null
        : readStored(experimentSnapshotSchema, row.result, `experiment analysis ${row.id}: result`),
    error: row.error,
    failedStep: row.failedStep,
  };
}

/** Moves the analysis from one of `from` to `to` (compare-and-set): true when it changed. */
export async function moveAnalysis(
  db: Db,
  id: string,
  from: JobStatusName[],
  to: { status: JobStatusName; error?: string | null; failedStep?: string | null },
): Promise<boolean> {
  const finished = to.status === "succeeded" || to.status === "failed" || to.status === "cancelled";
  const { count } = await db.experimentAnalysis.updateMany({
    where: { id, status: { in: from } },
    data: { ...to, finishedAt: finished ? new Date() : null },
  });
  return count > 0;
}

/** Queued and running analyses, oldest first. */
export async function listUnfinishedAnalyses(db: Db): Promise<{ id: string }[]> {
  return db.experimentAnalysis.findMany({
    where: { status: { in: ["queued", "running"] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * Stores the analysis's snapshot and, in bandit mode, the variants' new weights (by variant id), once:
 * a replayed step finds the snapshot stored and changes nothing.
 */
export async function storeAnalysisResult(
  db: Db,
  analysis: { id: string; experimentId: string },
  snapshot: ExperimentSnapshot,
  banditWeights: Map<string, number> | null,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.experimentAnalysis.updateMany({
      where: { id: analysis.id, decision: null },
      data: { result: json(snapshot), decision: snapshot.decision, reason: snapshot.reason },
    });
    if (count === 0) return;
    for (const [variantId, banditWeight] of banditWeights ?? [])
      await tx.experimentVariant.update({ where: { id: variantId }, data: { banditWeight } });
    await tx.experiment.update({
      where: { id: analysis.experimentId },
      data: { lastAnalyzedAt: new Date() },
    });
  });
}

/** Every finished analysis of the experiment, oldest first (at most the latest `limit`). */
export async function listAnalyses(db: Db, experimentId: string, limit = 500): Promise<StoredAnalysis[]> {
  const rows = await db.experimentAnalysis.findMany({
    where: { experimentId, status: "succeeded" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.reverse().flatMap((row) =>
    row.result === null
      ? []
      : [
          {
            ...readStored(experimentSnapshotSchema, row.result, `experiment analysis ${row.id}: result`),
            id: row.id,
            createdAt: row.createdAt,
          },
        ],
  );
}

/** True when the experiment has an analysis in flight, or one created at or after `since`. */
export async function hasRecentAnalysis(db: Db, experimentId: string, since: Date): Promise<boolean> {
  const found = await db.experimentAnalysis.findFirst({
    where: {
      experimentId,
      OR: [{ status: { in: ["queued", "running"] } }, { createdAt: { gte: since } }],
    },
    select: { id: true },
  });
  return found !== null;
}
