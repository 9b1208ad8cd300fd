// Job gauges of the metrics endpoint, read at scrape time: runs and batches by status from the database
// (every instance reports the same totals; they are the jobs' stored states, not this process's), and
// this process's embedded queue (jobs executing here and waiting for a slot).
import { Gauge } from "prom-client";
import { getDb } from "@/lib/db";
import { countJobsByStatus } from "@/lib/db/monitoring";
import { METRIC_PREFIX, type ProcessMetrics } from "@/lib/observability/registry";
import { existingEmbeddedRunner } from "@/lib/runner/runner-choice";
import { batchJob } from "../jobs/batch";
import { optimizationRunJob } from "../jobs/optimization-run";

const KIND_OF_TABLE = { run: optimizationRunJob.id, batch: batchJob.id } as const;
const STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

export function registerJobGauges(metrics: ProcessMetrics): void {
  const registers = [metrics.registry];
  new Gauge({
    name: `${METRIC_PREFIX}jobs`,
    help: "Durable jobs (optimization runs, batches) in the database, by kind and status.",
    labelNames: ["kind", "status"] as const,
    registers,
    async collect() {
      this.reset();
      // Every kind and status is present (0 included), so a query like `strop_jobs{status="failed"}`
      // has a series before the first failure.
      for (const kind of Object.values(KIND_OF_TABLE))
        for (const status of STATUSES) this.set({ kind, status }, 0);
      const db = await getDb();
      for (const { job, status, count } of await countJobsByStatus(db))
        this.set({ kind: KIND_OF_TABLE[job], status }, count);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}runner_queue_depth`,
    help: "Jobs held by this process's embedded runner: executing (running) or waiting for a slot (waiting).",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const depth = existingEmbeddedRunner()?.depth() ?? { running: 0, waiting: 0 };
      this.set({ state: "running" }, depth.running);
      this.set({ state: "waiting" }, depth.waiting);
    },
  });
}
