// The Inngest function that executes a stored optimization run. Durable state lives in Inngest (each
// workflow step is a memoized `step.run`) and, for resuming a failed run as a new function run, in the
// step checkpoints of the database; flow control is configuration:
//   concurrency  per project (event.data.projectId) and per provider (event.data.provider)
//   throttle     run starts per provider
//   retries      of a failing step, with Inngest's exponential backoff
//   cancelOn     `strop/run.cancel` with the same runId
import { type Inngest, NonRetriableError } from "inngest";
import { type Db, getDb } from "@/lib/db";
import { withDbCheckpoints } from "@/lib/runner/db-step-runner";
import { executeRun, type RunOutcome } from "@/lib/services/run-execution";
import { inngest } from "../client";
import { runCancel, runRequested } from "../events";
import { type InngestStepTools, inngestStepRunner } from "../step-runner";

type Env = Record<string, string | undefined>;

function positive(env: Env, name: string, fallback: number): number {
  const n = Number(env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Flow control of optimization runs; the limits can be tuned per deployment:
 * STROP_INNGEST_PROJECT_CONCURRENCY (default 2 steps at a time per project),
 * STROP_INNGEST_PROVIDER_CONCURRENCY (default 4 per provider),
 * STROP_INNGEST_PROVIDER_STARTS_PER_MINUTE (default 10 run starts per provider and minute).
 */
export function optimizeRunFlowControl(env: Env = process.env) {
  return {
    concurrency: [
      { key: "event.data.projectId", limit: positive(env, "STROP_INNGEST_PROJECT_CONCURRENCY", 2) },
      { key: "event.data.provider", limit: positive(env, "STROP_INNGEST_PROVIDER_CONCURRENCY", 4) },
    ] as [{ key: string; limit: number }, { key: string; limit: number }],
    throttle: {
      key: "event.data.provider",
      limit: positive(env, "STROP_INNGEST_PROVIDER_STARTS_PER_MINUTE", 10),
      period: "1m" as const,
      burst: 2,
    },
    retries: 4 as const,
  };
}

/** What the function returns to Inngest (kept small: the report lives in the database). */
export interface OptimizeRunResult {
  runId: string;
  status: RunOutcome["status"];
  savedVersion: number | null;
}

/** The handler, separate from its registration so that tests can drive it with their own step tools. */
export async function handleRunRequested(
  runId: string,
  step: InngestStepTools,
  db: Db,
): Promise<OptimizeRunResult> {
  // Checkpoints in the database too: a failed run resumed as a new function run skips finished steps.
  const outcome = await executeRun(db, runId, withDbCheckpoints(inngestStepRunner(step), db, runId));
  if (outcome.status === "failed") {
    // Recorded on the run already; failing the Inngest run (without retrying it) shows it there too.
    const where = outcome.failedStep ? ` at step ${outcome.failedStep}` : "";
    throw new NonRetriableError(`run ${runId} failed${where}: ${outcome.error}`, { cause: outcome.cause });
  }
  return { runId, status: outcome.status, savedVersion: outcome.savedVersion };
}

export function createOptimizeRunFunction(
  client: Inngest.Any,
  options: { db?: () => Promise<Db>; env?: Env } = {},
) {
  const openDb = options.db ?? getDb;
  return client.createFunction(
    {
      id: "optimize-run",
      name: "Optimization run",
      triggers: [runRequested],
      ...optimizeRunFlowControl(options.env),
      cancelOn: [{ event: runCancel, match: "data.runId" }],
    },
    async ({ event, step }) => handleRunRequested(event.data.runId, step, await openDb()),
  );
}

export const optimizeRun = createOptimizeRunFunction(inngest);
