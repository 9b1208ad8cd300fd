// What the monitoring dashboard and the metrics endpoint read, aggregated in the database: the calls a
// project made over time (served generations, the task model's calls of optimization runs, batch rows)
// bucketed by hour or day and split by model or provider, their latency percentiles, job counts by
// status, and the latest failed jobs with their reasons. The SQL is portable (SQLite ≥ 3.38 and
// PostgreSQL): `->`/`->>` on JSON, window functions, CAST to text for the time buckets.
import type { Db } from "./client";
import { Prisma } from "./generated/sqlite/client";

export type TimeBucket = "hour" | "day";
export type SeriesSplit = "model" | "provider";

export interface CallQuery {
  projectId: string;
  /** Calls at or after `since` and before `until`. */
  since: Date;
  until: Date;
  bucket: TimeBucket;
  split: SeriesSplit;
  /** Provider ids ("openai", "openai-compatible", …): a model id's prefix before ":" names its provider. */
  providers: readonly string[];
}

export interface CallUsagePoint {
  /** Start of the bucket, ISO 8601 in UTC. */
  bucket: string;
  series: string;
  calls: number;
  errors: number;
  cacheHits: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CallLatencyPoint {
  bucket: string;
  series: string;
  /** Calls measured: not cached, no error. */
  count: number;
  p50: number;
  p95: number;
}

// Stored timestamps read as text: "2026-12-06T14:03:…" on SQLite, "2026-12-06 14:03:…" on PostgreSQL;
// their first 13 (hour) or 10 (day) characters name the bucket.
const PREFIX_LENGTH: Record<TimeBucket, number> = { hour: 13, day: 10 };

function bucketStart(prefix: string, bucket: TimeBucket): string {
  const day = prefix.slice(0, 10);
  return bucket === "day" ? `${day}T00:00:00.000Z` : `${day}T${prefix.slice(11, 13)}:00:00.000Z`;
}

function timeBucket(column: Prisma.Sql, bucket: TimeBucket): Prisma.Sql {
  return Prisma.sql`substr(CAST(${column} AS TEXT), 1, ${Prisma.raw(String(PREFIX_LENGTH[bucket]))})`;
}

function seriesOf(model: Prisma.Sql, query: CallQuery): Prisma.Sql {
  if (query.split === "model") return model;
  const cases = query.providers.map((p) => Prisma.sql`WHEN ${model} LIKE ${`${p}:%`} THEN ${p}`);
  return cases.length === 0
    ? Prisma.sql`'other'`
    : Prisma.sql`CASE ${Prisma.join(cases, " ")} ELSE 'other' END`;
}

/**
 * Every call of the project since `query.since`, one row each (a CTE the aggregates read): served
 * generations at their time, a run's per-example results at the run's start under its task model, a
 * batch's finished rows at the batch's start under its model.
 */
function callsCte(query: CallQuery): Prisma.Sql {
  const { projectId, since, until, bucket } = query;
  const runTime = Prisma.sql`COALESCE(r."startedAt", r."createdAt")`;
  const batchTime = Prisma.sql`COALESCE(b."startedAt", b."createdAt")`;
  const runModel = Prisma.sql`(r."config"->'models'->'task'->>'id')`;
  const batchModel = Prisma.sql`(b."model"->>'id')`;
  return Prisma.sql`WITH calls AS (
    SELECT ${timeBucket(Prisma.sql`g."createdAt"`, bucket)} AS bucket,
      ${seriesOf(Prisma.sql`g."model"`, query)} AS series,
      g."latencyMs" AS latency, CASE WHEN g."cached" THEN 1 ELSE 0 END AS hit,
      CASE WHEN g."error" IS NULL THEN 0 ELSE 1 END AS failed,
      g."costUsd" AS cost, g."inputTokens" AS input, g."outputTokens" AS output
    FROM "Generation" g
    WHERE g."projectId" = ${projectId} AND g."createdAt" >= ${since} AND g."createdAt" < ${until}
    UNION ALL
    SELECT ${timeBucket(runTime, bucket)}, ${seriesOf(runModel, query)},
      e."latencyMs", CASE WHEN e."cached" THEN 1 ELSE 0 END, CASE WHEN e."error" IS NULL THEN 0 ELSE 1 END,
      e."costUsd", e."inputTokens", e."outputTokens"
    FROM "ExampleResult" e JOIN "OptimizationRun" r ON r."id" = e."runId"
    WHERE r."projectId" = ${projectId} AND ${runTime} >= ${since} AND ${runTime} < ${until}
    UNION ALL
    SELECT ${timeBucket(batchTime, bucket)}, ${seriesOf(batchModel, query)},
      w."latencyMs", CASE WHEN w."cached" THEN 1 ELSE 0 END, CASE WHEN w."error" IS NULL THEN 0 ELSE 1 END,
      w."costUsd", w."inputTokens", w."outputTokens"
    FROM "BatchRow" w JOIN "BatchJob" b ON b."id" = w."batchId"
    WHERE b."projectId" = ${projectId} AND ${batchTime} >= ${since} AND ${batchTime} < ${until} AND w."done" = ${true}
  )`;
}

type Num = number | bigint | string | null;
const num = (value: Num): number => (value === null ? 0 : Number(value));

/** Calls, errors, cache hits, cost and tokens per bucket and series, oldest bucket first. */
export async function projectCallUsage(db: Db, query: CallQuery): Promise<CallUsagePoint[]> {
  const rows = await db.$queryRaw<
    {
      bucket: string;
      series: string | null;
      calls: Num;
      errors: Num;
      hits: Num;
      cost: Num;
      input: Num;
      output: Num;
    }[]
  >`${callsCte(query)}
    SELECT bucket, series, COUNT(*) AS calls, SUM(failed) AS errors, SUM(hit) AS hits, SUM(cost) AS cost,
      SUM(input) AS input, SUM(output) AS output
    FROM calls GROUP BY bucket, series ORDER BY bucket, series`;
  return rows.map((row) => ({
    bucket: bucketStart(row.bucket, query.bucket),
    series: row.series ?? "unknown",
    calls: num(row.calls),
    errors: num(row.errors),
    cacheHits: num(row.hits),
    costUsd: num(row.cost),
    inputTokens: num(row.input),
    outputTokens: num(row.output),
  }));
}

/**
 * p50 and p95 latency (nearest rank) of the calls that reached the provider and succeeded, per bucket
 * and series: the database ranks the rows and returns only the two at those ranks.
 */
export async function projectCallLatency(db: Db, query: CallQuery): Promise<CallLatencyPoint[]> {
  const rank = (q: number) =>
    Prisma.sql`(rn * 100 >= ${Prisma.raw(String(q))} * n AND (rn - 1) * 100 < ${Prisma.raw(String(q))} * n)`;
  const rows = await db.$queryRaw<{ bucket: string; series: string | null; latency: Num; rn: Num; n: Num }[]>`
    ${callsCte(query)}
    SELECT bucket, series, latency, rn, n FROM (
      SELECT bucket, series, latency,
        ROW_NUMBER() OVER (PARTITION BY bucket, series ORDER BY latency) AS rn,
        COUNT(*) OVER (PARTITION BY bucket, series) AS n
      FROM calls WHERE hit = 0 AND failed = 0
    ) ranked
    WHERE ${rank(50)} OR ${rank(95)}
    ORDER BY bucket, series, rn`;
  const points = new Map<string, CallLatencyPoint>();
  for (const row of rows) {
    const bucket = bucketStart(row.bucket, query.bucket);
    const series = row.series ?? "unknown";
    const key = `${bucket}\u0000${series}`;
    const point = points.get(key) ?? { bucket, series, count: num(row.n), p50: 0, p95: 0 };
    const [rn, n, latency] = [num(row.rn), num(row.n), num(row.latency)];
    if (rn * 100 >= 50 * n && (rn - 1) * 100 < 50 * n) point.p50 = latency;
    if (rn * 100 >= 95 * n && (rn - 1) * 100 < 95 * n) point.p95 = latency;
    points.set(key, point);
  }
  return [...points.values()];
}

export type JobTable = "run" | "batch";

export interface JobCount {
  job: JobTable;
  status: string;
  count: number;
}

/** Runs and batches by status: of one project, or of every project (the metrics endpoint). */
export async function countJobsByStatus(db: Db, projectId?: string): Promise<JobCount[]> {
  const where = projectId ? { projectId } : {};
  const [runs, batches] = await Promise.all([
    db.optimizationRun.groupBy({ by: ["status"], where, _count: { _all: true } }),
    db.batchJob.groupBy({ by: ["status"], where, _count: { _all: true } }),
  ]);
  return [
    ...runs.map((r) => ({ job: "run" as const, status: r.status, count: r._count._all })),
    ...batches.map((b) => ({ job: "batch" as const, status: b.status, count: b._count._all })),
  ];
}

export interface FailedJob {
  job: JobTable;
  id: string;
  taskName: string;
  /** A run's kind ("optimize", "eval") or a batch's source name. */
  detail: string;
  failedStep: string | null;
  error: string | null;
  failedAt: Date;
}

/** The project's latest failed runs and batches, newest first. */
export async function recentFailedJobs(db: Db, projectId: string, limit: number): Promise<FailedJob[]> {
  const select = {
    id: true,
    error: true,
    failedStep: true,
    createdAt: true,
    finishedAt: true,
    task: { select: { name: true } },
  } as const;
  const where = { projectId, status: "failed" };
  const orderBy = [
    { finishedAt: { sort: "desc" as const, nulls: "last" as const } },
    { createdAt: "desc" as const },
  ];
  const [runs, batches] = await Promise.all([
    db.optimizationRun.findMany({ where, orderBy, take: limit, select: { ...select, kind: true } }),
    db.batchJob.findMany({ where, orderBy, take: limit, select: { ...select, sourceName: true } }),
  ]);
  const common = (row: (typeof runs)[number] | (typeof batches)[number]) => ({
    id: row.id,
    taskName: row.task.name,
    failedStep: row.failedStep,
    error: row.error,
    failedAt: row.finishedAt ?? row.createdAt,
  });
  return [
    ...runs.map((r) => ({ ...common(r), job: "run" as const, detail: r.kind })),
    ...batches.map((b) => ({ ...common(b), job: "batch" as const, detail: b.sourceName })),
  ]
    .sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime())
    .slice(0, limit);
}
