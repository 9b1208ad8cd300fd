// The inline StepRunner: each finished step's result is stored, so a run that stops for any reason
// continues from its last finished step and never pays for a step twice. Reading and storing a checkpoint
// are retried on their own after a transient database error: a body that has paid for its calls is never
// run again because its result could not be stored at the first attempt.
import type { StepRunner } from "@/lib/core/ports";
import { type Db, getCheckpoint, saveCheckpoint } from "@/lib/db";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";

export function createDbStepRunner(
  db: Db,
  runId: string,
  dbRetry: RetryPolicy = {},
): StepRunner & { executed: number; replayed: number } {
  const runner = {
    executed: 0,
    replayed: 0,
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const stored = await retryTransient(() => getCheckpoint(db, runId, id), dbRetry);
      if (stored !== undefined) {
        runner.replayed++;
        return stored as T;
      }
      const value = await fn();
      // Store what a replay will return: the JSON form of the value.
      const json = JSON.parse(JSON.stringify(value ?? null)) as T;
      // An upsert: storing it again after a connection lost at commit time changes nothing.
      await retryTransient(() => saveCheckpoint(db, runId, id, json), dbRetry);
      runner.executed++;
      return json;
    },
    async sleep(_id: string, ms: number) {
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
  return runner;
}

/**
 * Database checkpoints under another runner's steps (Inngest's): inside each step, a stored result is
 * returned without running the body, and a body's result is stored before the step returns. Inngest
 * memoizes steps per function run only; with the checkpoints, a failed run resumed later as a new
 * function run (POST …/runs/{run}/resume) does not pay again for the steps an earlier one finished.
 */
export function withDbCheckpoints(
  inner: StepRunner,
  db: Db,
  runId: string,
  dbRetry: RetryPolicy = {},
): StepRunner {
  const checkpointed = async <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const stored = await retryTransient(() => getCheckpoint<T>(db, runId, id), dbRetry);
    if (stored !== undefined) return stored;
    const json = JSON.parse(JSON.stringify((await fn()) ?? null)) as T;
    await retryTransient(() => saveCheckpoint(db, runId, id, json), dbRetry);
    return json;
  };
  return {
    run: <T>(id: string, fn: () => Promise<T>) =>
      inner.run<T>(id, () => {
        // A body of this step already running here (the runner started it again before the first one
        // stored its result: parallel steps, replays) is joined, not paid for a second time.
        const key = `${runId}\u0000${id}`;
        const running = bodiesInFlight.get(key) as Promise<T> | undefined;
        if (running) return running;
        const body = checkpointed(id, fn).finally(() => bodiesInFlight.delete(key));
        bodiesInFlight.set(key, body);
        return body;
      }),
    sleep: (id, ms) => inner.sleep(id, ms),
  };
}

/** Step bodies running in this process under `withDbCheckpoints`, by run and step. */
const bodiesInFlight = new Map<string, Promise<unknown>>();

/**
 * The embedded runner's StepRunner for a job whose own rows are its durable record (a batch: rows marked
 * done): a step's body runs every time (a resumed step finds its finished work done and skips it);
 * nothing else is stored.
 */
export function jobStateSteps(): StepRunner {
  return {
    run: (_id, fn) => fn(),
    sleep: (_id, ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
