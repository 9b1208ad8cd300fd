// The optimization-run job kind: a stored optimization (or evaluation) run through the workflow (see
// lib/services/run-execution.ts), on the embedded runner or as the Inngest function `optimize-run`
// (events `strop/run.requested` / `strop/run.cancel`, keyed by `runId`). Each finished step's result is
// stored as a checkpoint on both runners, so a resumed run — even as a new Inngest function run — never
// pays for a finished step twice.
import { type JobKind, positiveSetting } from "@/lib/runner/job-kind";
import { runStreamProjection } from "../run-events";
import { executeRun, type RunOutcome, runStore } from "../run-execution";
import { storedRunLimitProblem } from "./run-limits";

/** What the Inngest function returns (small: the report lives in the database). */
export interface OptimizeRunResult {
  runId: string;
  status: RunOutcome["status"];
  savedVersion: number | null;
}

export const optimizationRunJob: JobKind<RunOutcome, OptimizeRunResult, typeof runStreamProjection> = {
  id: "optimization-run",
  noun: "run",
  inngest: {
    functionId: "optimize-run",
    name: "Optimization run",
    events: { requested: "strop/run.requested", cancel: "strop/run.cancel", idField: "runId" },
    /**
     * STROP_INNGEST_PROJECT_CONCURRENCY (default 2 steps at a time per project),
     * STROP_INNGEST_PROVIDER_CONCURRENCY (default 4 per provider),
     * STROP_INNGEST_PROVIDER_STARTS_PER_MINUTE (default 10 run starts per provider and minute).
     */
    flowControl: (env) => ({
      concurrency: [
        { key: "event.data.projectId", limit: positiveSetting(env, "STROP_INNGEST_PROJECT_CONCURRENCY", 2) },
        { key: "event.data.provider", limit: positiveSetting(env, "STROP_INNGEST_PROVIDER_CONCURRENCY", 4) },
      ],
      throttle: {
        key: "event.data.provider",
        limit: positiveSetting(env, "STROP_INNGEST_PROVIDER_STARTS_PER_MINUTE", 10),
        period: "1m",
        burst: 2,
      },
      retries: 4,
    }),
    limitProblem: storedRunLimitProblem,
  },
  store: runStore,
  // Runs of `strop optimize|eval` are continued by `strop runs resume`.
  resumesUnattended: (job) => job.origin === "app",
  checkpoints: "step-results",
  execute: (db, id, steps, signal, options) => executeRun(db, id, steps, signal, options),
  functionResult: (runId, outcome) => ({ runId, status: outcome.status, savedVersion: outcome.savedVersion }),
  stream: runStreamProjection,
};
