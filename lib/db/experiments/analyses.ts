// The data an analysis job reads (the automatic metrics of the experiment's generations; a feedback
// metric's sums come from pre-period.ts) and what it writes: its job row (status), and once its
// snapshot with the bandit weights and the time of the analysis, in one transaction.
import type { AutomaticMetric, ExperimentSnapshot } from "@/lib/validation/experiments";
import { experimentSnapshotSchema } from "@/lib/validation/experiments";
import { readStored } from "@/lib/validation/stored-document";
import type { Db } from "../client";
import { json } from "../util";

const PAGE = 5000;

export interface GenerationMetrics {
  variantId: string;
  values: Record<AutomaticMetric, number>;
}

/** The automatic metrics of every generation served under the experiment. */
export async function generationMetrics(db: Db, experimentId: string): Promise<GenerationMetrics[]> {
  const out: GenerationMetrics[] = [];
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.generation.findMany({
      where: { exposure: { experimentId } },
      select: {
        id: true,
        error: true,
        latencyMs: true,
        costUsd: true,
        outputTokens: true,
        exposure: { select: { variantId: true } },
      },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    for (const row of rows) {
      if (!row.exposure) continue;
      out.push({
        variantId: row.exposure.variantId,
        values: {
          errorRate: row.error === null ? 0 : 1,
          latencyMs: row.latencyMs,
          costUsd: row.costUsd,
          outputTokens: row.outputTokens,
        },
      });
    }
    if (rows.length < PAGE) break;
    cursor = rows.at(-1)?.id;
  }
  return out;
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
