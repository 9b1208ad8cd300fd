// What the negative-feedback check reads: counts per (version, feedback name) computed by the database
// (two GROUP BYs on the Feedback(projectId, createdAt) index), never the feedback rows themselves.
import type { Db } from "../client";

export interface FeedbackCountQuery {
  projectId: string;
  since: Date;
  /** Empty: every name. */
  names: string[];
  /** A value at or below this is negative. */
  negativeAtMost: number;
}

export interface VersionFeedbackCount {
  versionId: string;
  name: string;
  total: number;
  negative: number;
}

/** Numeric (and boolean) judgments per version and name since `since`, and how many are negative. */
export async function countVersionFeedback(
  db: Db,
  query: FeedbackCountQuery,
): Promise<VersionFeedbackCount[]> {
  const where = {
    projectId: query.projectId,
    createdAt: { gte: query.since },
    versionId: { not: null },
    ...(query.names.length > 0 ? { name: { in: query.names } } : {}),
  };
  const [totals, negatives] = await Promise.all([
    db.feedback.groupBy({
      by: ["versionId", "name"],
      where: { ...where, value: { not: null } },
      _count: { _all: true },
    }),
    db.feedback.groupBy({
      by: ["versionId", "name"],
      where: { ...where, value: { lte: query.negativeAtMost } },
      _count: { _all: true },
    }),
  ]);
  const negativeOf = new Map(negatives.map((g) => [`${g.versionId}:${g.name}`, g._count._all]));
  return totals.map((g) => ({
    versionId: g.versionId as string,
    name: g.name,
    total: g._count._all,
    negative: negativeOf.get(`${g.versionId}:${g.name}`) ?? 0,
  }));
}

/**
 * Of `versionIds`, those still serving traffic (with their task): a label points at it, a running experiment splits a
 * label's traffic onto it, or it answered a generation since `generatedSince` (an application pinning
 * `?version=N`).
 */
export async function servingVersions(
  db: Db,
  projectId: string,
  versionIds: string[],
  generatedSince: Date,
): Promise<Map<string, { taskId: string }>> {
  if (versionIds.length === 0) return new Map();
  const [labels, variants, generated] = await Promise.all([
    db.promptLabel.findMany({
      where: { projectId, versionId: { in: versionIds } },
      select: { versionId: true },
    }),
    db.experimentVariant.findMany({
      where: { versionId: { in: versionIds }, experiment: { projectId, status: "running" } },
      select: { versionId: true },
    }),
    db.generation.groupBy({
      by: ["versionId"],
      where: { projectId, versionId: { in: versionIds }, createdAt: { gte: generatedSince } },
    }),
  ]);
  const serving = [...new Set([...labels, ...variants, ...generated].map((row) => row.versionId))];
  const versions = await db.promptVersion.findMany({
    where: { id: { in: serving }, task: { projectId } },
    select: { id: true, taskId: true },
  });
  return new Map(versions.map((v) => [v.id, { taskId: v.taskId }]));
}
