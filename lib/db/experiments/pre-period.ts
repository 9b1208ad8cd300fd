// A feedback metric per variant for an analysis, with each subject's pre-experiment value of it (CUPED's
// covariate), in one aggregate query: per exposed subject y is the mean of its feedback of that name in
// the experiment, x the mean of the same feedback on the subject's generations of the task created in the
// window before the start; the database sums y, y², x, x², x·y per variant and per "has x", so an
// analysis of 100,000 subjects reads a handful of rows, not the subjects (measured: docs/experiment-statistics.md).
import type { Db } from "../client";
import { Prisma } from "../generated/sqlite/client";

export interface PrePeriodQuery {
  experimentId: string;
  taskId: string;
  /** The feedback name the metric is. */
  name: string;
  /** "zero": a subject without the feedback counts as 0 — in the experiment, and in the window when it had generations there. */
  missing: "skip" | "zero";
  /** The window: generations created at or after `from` and before `to` (the start). */
  from: Date;
  to: Date;
  /** Only values in this range count, in the experiment and in the window (none: every value). */
  range?: { min: number; max: number } | null;
}

/** One variant's sums: over every measured subject, and over those of them with a pre-period value. */
export interface PrePeriodSums {
  n: number;
  sum: number;
  sumSquares: number;
  covered: { n: number; sum: number; covariateSum: number; covariateSquares: number; productSum: number };
}

type Row = {
  variantId: string;
  covered: number | bigint | boolean;
  n: number | bigint;
  sumY: number | null;
  sumY2: number | null;
  sumX: number | null;
  sumX2: number | null;
  sumXY: number | null;
};

const zeroSums = (): PrePeriodSums => ({
  n: 0,
  sum: 0,
  sumSquares: 0,
  covered: { n: 0, sum: 0, covariateSum: 0, covariateSquares: 0, productSum: 0 },
});

/** Per variant id (variants without a measured subject are absent). */
export async function prePeriodSums(db: Db, q: PrePeriodQuery): Promise<Map<string, PrePeriodSums>> {
  const zero = q.missing === "zero";
  // skip: only subjects with feedback are measured, and only feedback gives a pre-period value.
  const y = zero ? Prisma.sql`COALESCE("y", 0)` : Prisma.sql`"y"`;
  const x = zero ? Prisma.sql`CASE WHEN "pre" = 1 THEN COALESCE("x", 0) END` : Prisma.sql`"x"`;
  const measured = zero ? Prisma.empty : Prisma.sql`AND "y" IS NOT NULL`;
  const counted = q.range
    ? Prisma.sql`AND f."value" >= ${q.range.min} AND f."value" <= ${q.range.max}`
    : Prisma.empty;
  // One row per exposure, per feedback value in the experiment and per generation in the window, grouped
  // by subject: a GROUP BY stays n·log n whatever the planner's row estimates (a join of two per-subject
  // aggregates is a nested loop over both when the statistics are stale, e.g. right after an import).
  const rows = await db.$queryRaw<Row[]>`
    WITH facts AS (
      SELECT e."subjectId" AS "subjectId", e."variantId" AS "variantId",
        CAST(NULL AS DOUBLE PRECISION) AS "y", CAST(NULL AS DOUBLE PRECISION) AS "x", 0 AS "pre"
      FROM "Exposure" e
      WHERE e."experimentId" = ${q.experimentId}
      UNION ALL
      SELECT e."subjectId", CAST(NULL AS TEXT), f."value", NULL, 0
      FROM "Feedback" f JOIN "Exposure" e ON e."id" = f."exposureId"
      WHERE f."experimentId" = ${q.experimentId} AND f."name" = ${q.name} AND f."value" IS NOT NULL ${counted}
      UNION ALL
      SELECT g."subjectId", NULL, NULL, f."value", 1
      FROM "Generation" g
      LEFT JOIN "Feedback" f ON f."generationId" = g."id" AND f."name" = ${q.name} AND f."value" IS NOT NULL
        ${counted}
      WHERE g."taskId" = ${q.taskId} AND g."subjectId" IS NOT NULL
        AND g."createdAt" >= ${q.from} AND g."createdAt" < ${q.to}
    ), subjects AS (
      SELECT MAX("variantId") AS "variantId", AVG("y") AS "y", AVG("x") AS "x", MAX("pre") AS "pre"
      FROM facts
      GROUP BY "subjectId"
    ), units AS (
      SELECT "variantId", ${y} AS "y", ${x} AS "x"
      FROM subjects
      WHERE "variantId" IS NOT NULL ${measured}
    )
    SELECT "variantId", CASE WHEN "x" IS NULL THEN 0 ELSE 1 END AS "covered", COUNT(*) AS "n",
      SUM("y") AS "sumY", SUM("y" * "y") AS "sumY2",
      SUM("x") AS "sumX", SUM("x" * "x") AS "sumX2", SUM("x" * "y") AS "sumXY"
    FROM units
    GROUP BY "variantId", CASE WHEN "x" IS NULL THEN 0 ELSE 1 END`;
  const out = new Map<string, PrePeriodSums>();
  for (const row of rows) {
    const sums = out.get(row.variantId) ?? zeroSums();
    const n = Number(row.n);
    const sumY = Number(row.sumY ?? 0);
    sums.n += n;
    sums.sum += sumY;
    sums.sumSquares += Number(row.sumY2 ?? 0);
    if (Number(row.covered) === 1) {
      sums.covered = {
        n,
        sum: sumY,
        covariateSum: Number(row.sumX ?? 0),
        covariateSquares: Number(row.sumX2 ?? 0),
        productSum: Number(row.sumXY ?? 0),
      };
    }
    out.set(row.variantId, sums);
  }
  return out;
}
