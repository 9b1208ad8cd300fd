// GET /api/metrics: the Prometheus exposition of this process's registry (lib/observability/registry.ts:
// HTTP, provider calls, Node's process metrics) plus the job gauges read at scrape time. Off unless
// STROP_METRICS_TOKEN is set; a scraper then sends it as `Authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from "node:crypto";
import { type ProcessMetrics, processMetrics } from "@/lib/observability/registry";
import { registerJobGauges } from "./job-gauges";

export type MetricsScrape =
  | { outcome: "metrics"; contentType: string; body: string }
  /** STROP_METRICS_TOKEN is not set: the endpoint does not exist. */
  | { outcome: "disabled" }
  /** No bearer token, or another one. */
  | { outcome: "unauthorized" };

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether `authorization` carries `token`, in constant time (both sides hashed to the same length). */
export function bearerMatches(authorization: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  // Compared even without a token, so a missing header takes as long as a wrong one.
  const given = match?.[1] ?? "";
  return timingSafeEqual(digest(given), digest(token)) && match !== null;
}

// The job gauges join the process registry once (on globalThis, like the registry itself).
const JOB_GAUGES = Symbol.for("strop.metrics.jobGauges");
type WithFlag = typeof globalThis & { [JOB_GAUGES]?: true };

/** The process's metrics with the scrape-time gauges registered. */
export function metricsRegistry(): ProcessMetrics {
  const metrics = processMetrics();
  const holder = globalThis as WithFlag;
  if (!holder[JOB_GAUGES]) {
    registerJobGauges(metrics);
    holder[JOB_GAUGES] = true;
  }
  return metrics;
}

export async function scrapeMetrics(
  authorization: string | null,
  env: Record<string, string | undefined> = process.env,
): Promise<MetricsScrape> {
  const token = env.STROP_METRICS_TOKEN?.trim();
  if (!token) return { outcome: "disabled" };
  if (!bearerMatches(authorization, token)) return { outcome: "unauthorized" };
  const { registry } = metricsRegistry();
  return { outcome: "metrics", contentType: registry.contentType, body: await registry.metrics() };
}
