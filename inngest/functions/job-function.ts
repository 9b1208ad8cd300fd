// The Inngest function of a job kind, derived from its definition (lib/runner/job-kind.ts): triggered
// by the kind's "requested" event, cancelled by its cancel event with the same job id, with the kind's
// flow control (concurrency per project and provider, throttle, retries with Inngest's exponential
// backoff). Each workflow step is a memoized `step.run` with the workflow's own stable id; a kind that
// keeps step results (runs) also checkpoints them in the database, so that a failed job resumed later as
// a new function run skips the steps an earlier one finished. A job that cannot fit one function run
// (1,000 steps, 4 MB per step, 32 MB of state) fails before its first step, naming the limit.
import { type Inngest, NonRetriableError } from "inngest";
import { withDbCheckpoints } from "@/lib/runner/db-step-runner";
import { jobEventTypes } from "@/lib/runner/inngest-transport";
import { type AnyJobKind, isTerminalJobStatus } from "@/lib/runner/job-kind";
import { type Db, getDb } from "@/lib/services/database";
import { type InngestStepTools, inngestStepRunner } from "../step-runner";

type Env = Record<string, string | undefined>;

/** The engine's step before a job's own: does the stored job fit one function run? */
export const LIMITS_STEP = "engine/inngest-limits";

/**
 * The handler, separate from its registration so that tests can drive it with their own step tools.
 * Returns the kind's small result; throws a NonRetriableError for a failed job (already recorded on it).
 */
export async function handleJobRequested(
  kind: AnyJobKind,
  id: string,
  step: InngestStepTools,
  db: Db,
): Promise<unknown> {
  // A step of its own: checked once per function run, not at every step's invocation.
  const check = kind.inngest.limitProblem;
  const problem = check ? ((await step.run(LIMITS_STEP, () => check(db, id))) as string | null) : null;
  if (problem) {
    await kind.store.markFailed(db, id, new Error(problem), null);
    throw new NonRetriableError(`${kind.noun} ${id} cannot run on Inngest: ${problem}`);
  }
  const inngestSteps = inngestStepRunner(step);
  const steps = kind.checkpoints === "step-results" ? withDbCheckpoints(inngestSteps, db, id) : inngestSteps;
  const outcome = await kind.execute(db, id, steps);
  if (outcome.status === "failed") {
    // Recorded on the job already; failing the Inngest run (without retrying it) shows it there too.
    const where = outcome.failedStep ? ` at step ${outcome.failedStep}` : "";
    throw new NonRetriableError(`${kind.noun} ${id} failed${where}: ${outcome.error}`, {
      cause: outcome.cause,
    });
  }
  return kind.functionResult(id, outcome);
}

/**
 * After the function run failed for good outside the job's own bookkeeping (the database away through
 * every retry, a function timeout): the job is marked failed, so it can be resumed, instead of staying
 * queued or running with nothing executing it. A job that already ended is left as it is.
 */
export async function recordFunctionFailure(
  kind: AnyJobKind,
  db: Db,
  id: string,
  error: Error,
): Promise<void> {
  const status = await kind.store.status(db, id);
  if (status === null || isTerminalJobStatus(status)) return;
  // Its message may be driver text (it comes back serialized, no longer recognizable): logged, not stored.
  console.error(`[strop] the Inngest function of ${kind.noun} ${id} failed:`, error);
  const name = error.name && error.name !== "Error" ? ` (${error.name})` : "";
  await kind.store.markFailed(
    db,
    id,
    new Error(
      `the Inngest function of this ${kind.noun} failed${name}: see its run in Inngest, then resume the ${kind.noun}`,
    ),
    null,
  );
}

/** The Inngest function of `kind` (`options.db` and `options.env` for tests). */
export function createJobFunction(
  client: Inngest.Any,
  kind: AnyJobKind,
  options: { db?: () => Promise<Db>; env?: Env } = {},
) {
  const openDb = options.db ?? getDb;
  const events = jobEventTypes(kind);
  const idField = kind.inngest.events.idField;
  return client.createFunction(
    {
      id: kind.inngest.functionId,
      name: kind.inngest.name,
      triggers: [events.requested],
      ...kind.inngest.flowControl(options.env ?? process.env),
      cancelOn: [{ event: events.cancel, match: `data.${idField}` }],
      onFailure: async ({
        event,
        error,
      }: {
        event: { data: { event: { data: unknown } } };
        error: Error;
      }) => {
        const id = (event.data.event.data as Record<string, unknown> | undefined)?.[idField];
        if (typeof id === "string") await recordFunctionFailure(kind, await openDb(), id, error);
      },
    },
    async ({ event, step }) => {
      const id = (event.data as Record<string, unknown>)[idField];
      if (typeof id !== "string") throw new NonRetriableError(`${event.name} has no data.${idField}`);
      return handleJobRequested(kind, id, step, await openDb());
    },
  );
}
