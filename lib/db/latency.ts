// Latency percentiles of the calls a run or a batch made, from its stored rows (exact, and the same
// whichever processes executed it): calls that reached the provider and succeeded (not cached, no
// error). Computed once when the run or batch finishes and stored on it.
import type { LatencySummary } from "@/lib/validation/common";
import { latencyDocument } from "@/lib/validation/stored-state";
import type { Db } from "./client";
import { json } from "./util";

export type { LatencySummary };

const QUANTILES = [0.5, 0.95, 0.99] as const;

/** The summary from `count` and the n-th smallest latency (0-based) of the same rows. */
async function summarize(count: number, nth: (n: number) => Promise<number>): Promise<LatencySummary> {
  if (count === 0) return { count, p50: 0, p95: 0, p99: 0, max: 0 };
  const [p50, p95, p99, max] = await Promise.all([
    ...QUANTILES.map((q) => nth(Math.max(0, Math.ceil(q * count) - 1))),
    nth(count - 1),
  ]);
  return { count, p50: p50 ?? 0, p95: p95 ?? 0, p99: p99 ?? 0, max: max ?? 0 };
}

export async function runLatency(db: Db, runId: string): Promise<LatencySummary> {
  const where = { runId, cached: false, error: null };
  return summarize(await db.exampleResult.count({ where }), async (n) => {
    const row = await db.exampleResult.findFirst({
      where,
      orderBy: { latencyMs: "asc" },
      skip: n,
      select: { latencyMs: true },
    });
    return row?.latencyMs ?? 0;
  });
}

export async function batchLatency(db: Db, batchId: string): Promise<LatencySummary> {
  const where = { batchId, done: true, cached: false, error: null };
  return summarize(await db.batchRow.count({ where }), async (n) => {
    const row = await db.batchRow.findFirst({
      where,
      orderBy: { latencyMs: "asc" },
      skip: n,
      select: { latencyMs: true },
    });
    return row?.latencyMs ?? 0;
  });
}

/** Stores the run's latency summary (when it finished, in any status). */
export async function recordRunLatency(db: Db, runId: string): Promise<void> {
  const latency = await runLatency(db, runId);
  const stored = latencyDocument.write(latency, `run ${runId}: latency`);
  await db.optimizationRun.update({ where: { id: runId }, data: { latency: json(stored) } });
}

export async function recordBatchLatency(db: Db, batchId: string): Promise<void> {
  const latency = await batchLatency(db, batchId);
  const stored = latencyDocument.write(latency, `batch ${batchId}: latency`);
  await db.batchJob.update({ where: { id: batchId }, data: { latency: json(stored) } });
}
