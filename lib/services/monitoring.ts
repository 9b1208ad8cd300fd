// The monitoring dashboard of a project (admins): spend, calls, errors, latency percentiles and cache
// hits over time, split by model or provider, from what the database stores (served generations, runs'
// per-example results, batch rows), so it survives restarts and covers every instance; plus the jobs
// running and queued and the latest failed ones with their reasons.
import type { ProjectAccess } from "@/lib/auth/principal";
import { ForbiddenError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import type { Db } from "@/lib/db";
import {
  type CallLatencyPoint,
  type CallQuery,
  type CallUsagePoint,
  countJobsByStatus,
  type FailedJob,
  type JobTable,
  projectCallLatency,
  projectCallUsage,
  recentFailedJobs,
  type SeriesSplit,
  type TimeBucket,
} from "@/lib/db/monitoring";
import { PROVIDER_IDS } from "@/lib/llm/model-id";

export type { CallLatencyPoint, CallUsagePoint, FailedJob, JobTable, SeriesSplit, TimeBucket };

/** The time ranges the dashboard offers: how far back, and the bucket width that keeps charts readable. */
export const MONITORING_RANGES = {
  "24h": { label: "Last 24 hours", hours: 24, bucket: "hour" },
  "7d": { label: "Last 7 days", hours: 7 * 24, bucket: "day" },
  "30d": { label: "Last 30 days", hours: 30 * 24, bucket: "day" },
} as const satisfies Record<string, { label: string; hours: number; bucket: TimeBucket }>;

export type MonitoringRange = keyof typeof MONITORING_RANGES;
export const SERIES_SPLITS: Record<SeriesSplit, string> = { model: "Model", provider: "Provider" };

export function isMonitoringRange(value: unknown): value is MonitoringRange {
  return typeof value === "string" && Object.hasOwn(MONITORING_RANGES, value);
}
export function isSeriesSplit(value: unknown): value is SeriesSplit {
  return typeof value === "string" && Object.hasOwn(SERIES_SPLITS, value);
}

export interface JobActivity {
  job: JobTable;
  running: number;
  queued: number;
}

export interface ProjectMonitoring {
  range: MonitoringRange;
  split: SeriesSplit;
  bucket: TimeBucket;
  /** Every bucket start of the range, oldest first (ISO 8601, UTC): the charts' x axis. */
  buckets: string[];
  /** Models or providers that made calls in the range, busiest first. */
  series: string[];
  usage: CallUsagePoint[];
  latency: CallLatencyPoint[];
  totals: { calls: number; errors: number; cacheHits: number; costUsd: number };
  jobs: JobActivity[];
  failures: FailedJob[];
}

const FAILURES_SHOWN = 10;
const HOUR_MS = 3_600_000;

const bucketMs = (bucket: TimeBucket) => (bucket === "hour" ? HOUR_MS : 24 * HOUR_MS);

/** The bucket starts from the one holding `since` to the one holding `now`. */
export function bucketStarts(since: Date, now: Date, bucket: TimeBucket): string[] {
  const step = bucketMs(bucket);
  const first = Math.floor(since.getTime() / step) * step;
  const starts: string[] = [];
  for (let t = first; t <= now.getTime(); t += step) starts.push(new Date(t).toISOString());
  return starts;
}

export async function projectMonitoring(
  db: Db,
  access: ProjectAccess,
  options: { range: MonitoringRange; split: SeriesSplit; now?: Date },
): Promise<ProjectMonitoring> {
  if (!hasRole(access.role, "admin")) throw new ForbiddenError("Monitoring needs the admin or owner role.");
  const { range, split } = options;
  const { hours, bucket } = MONITORING_RANGES[range];
  const now = options.now ?? new Date();
  // From the start of the first bucket, so the oldest bar is a whole hour or day.
  const step = bucketMs(bucket);
  const buckets = bucketStarts(new Date(now.getTime() - (hours * HOUR_MS - step)), now, bucket);
  const query: CallQuery = {
    projectId: access.project.id,
    since: new Date(buckets[0] ?? now.toISOString()),
    until: new Date(new Date(buckets.at(-1) ?? now.toISOString()).getTime() + step),
    bucket,
    split,
    providers: PROVIDER_IDS,
  };
  const [usage, latency, counts, failures] = await Promise.all([
    projectCallUsage(db, query),
    projectCallLatency(db, query),
    countJobsByStatus(db, access.project.id),
    recentFailedJobs(db, access.project.id, FAILURES_SHOWN),
  ]);
  const callsBySeries = new Map<string, number>();
  for (const p of usage) callsBySeries.set(p.series, (callsBySeries.get(p.series) ?? 0) + p.calls);
  const count = (job: JobTable, status: string) =>
    counts.find((c) => c.job === job && c.status === status)?.count ?? 0;
  return {
    range,
    split,
    bucket,
    buckets,
    series: [...callsBySeries].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s),
    usage,
    latency,
    totals: {
      calls: usage.reduce((sum, p) => sum + p.calls, 0),
      errors: usage.reduce((sum, p) => sum + p.errors, 0),
      cacheHits: usage.reduce((sum, p) => sum + p.cacheHits, 0),
      costUsd: usage.reduce((sum, p) => sum + p.costUsd, 0),
    },
    jobs: (["run", "batch"] as const).map((job) => ({
      job,
      running: count(job, "running"),
      queued: count(job, "queued"),
    })),
    failures,
  };
}
