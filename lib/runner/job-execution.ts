// The lifecycle every kind's execution shares, whichever runner calls it: a finished job is not
// touched; a job whose inputs cannot be prepared fails; a claimed job runs its steps behind the guard
// (a cancel seen in the database, or from this process, stops it before the next step and aborts the
// calls in flight); then it is settled — cancelled, interrupted (the caller's signal without a cancel:
// it stays running and continues later), or failed with the step that failed. The bookkeeping around
// the steps is retried after a transient database error, like the steps are.
import { setMaxListeners } from "node:events";
import { NotFoundError } from "@/lib/core/errors";
import type { StepRunner } from "@/lib/core/ports";
import type { Db } from "@/lib/db";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";
import { withCpuProfile } from "./cpu-profile";
import { type GuardedStepRunner, guardSteps, isRunCancelled, RunCancelledError } from "./guard";
import { isTerminalJobStatus, type JobOutcome, type JobStore } from "./job-kind";

export interface JobExecution<TPrepared, TOutcome extends JobOutcome> {
  /** "run", "batch": messages say it. */
  noun: string;
  store: JobStore;
  db: Db;
  id: string;
  steps: StepRunner;
  /** Aborts the execution: a cancel (RunCancelledError) or anything else (interrupted). */
  signal?: AbortSignal;
  /** How often the database is asked whether the job was cancelled elsewhere (ms; default 1000). */
  cancelPollMs?: number;
  /** How a step and the bookkeeping are retried after a transient database error. */
  dbRetry?: RetryPolicy;
  /** Loads what the steps need; throwing fails the job (no step recorded). */
  prepare(): Promise<TPrepared>;
  /** The job's steps through `steps`; settles a success itself and returns its outcome. */
  run(prepared: TPrepared, steps: GuardedStepRunner, signal: AbortSignal): Promise<TOutcome>;
  /** The outcome as stored (a job still running reads as "interrupted"). */
  storedOutcome(): Promise<TOutcome>;
  /** Releases what `prepare` opened (always called once it succeeded). */
  close?(prepared: TPrepared): Promise<void>;
  /** Called once the job is finished (succeeded, failed or cancelled) after this execution. */
  afterFinish?(): Promise<void>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Executes a stored job (see the file's comment). Never throws for a failing job. With STROP_PROFILE_DIR
 * set, each execution writes a CPU profile of the process there (docs/performance.md).
 */
export function executeJob<P, O extends JobOutcome>(job: JobExecution<P, O>): Promise<O> {
  return withCpuProfile(process.env.STROP_PROFILE_DIR || undefined, `${job.noun}-${job.id}`, () =>
    execute(job),
  );
}

async function execute<P, O extends JobOutcome>(job: JobExecution<P, O>): Promise<O> {
  const { store, db, id } = job;
  const again = <T>(fn: () => Promise<T>) => retryTransient(fn, { ...job.dbRetry, signal: job.signal });
  const status = await again(() => store.status(db, id));
  if (status === null) throw new NotFoundError(`no ${job.noun} with id "${id}"`);
  if (isTerminalJobStatus(status)) return again(job.storedOutcome);
  let prepared: P;
  try {
    prepared = await again(job.prepare);
  } catch (error) {
    await again(() => store.markFailed(db, id, error, null));
    return { ...(await again(job.storedOutcome)), cause: error };
  }
  try {
    if (!(await again(() => store.claim(db, id)))) return await again(job.storedOutcome);
    return await supervise(job, prepared);
  } finally {
    await job.close?.(prepared);
    if (job.afterFinish && isTerminalJobStatus(await again(() => store.status(db, id)).catch(() => null)))
      await job
        .afterFinish()
        .catch((error: unknown) =>
          console.error(`[strop] after ${job.noun} ${id} finished:`, message(error)),
        );
  }
}

async function supervise<P, O extends JobOutcome>(job: JobExecution<P, O>, prepared: P): Promise<O> {
  const { store, db, id, signal } = job;
  const controller = new AbortController();
  // Every call in flight listens to it (up to a model's concurrency): not a leak.
  setMaxListeners(0, controller.signal);
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener("abort", forward, { once: true });
  const isCancelled = async () => (await store.status(db, id)) === "cancelled";
  const guarded = guardSteps(job.steps, {
    signal: controller.signal,
    isCancelled,
    dbRetry: job.dbRetry,
    // A cancel from another process (the API, the CLI) also aborts the calls in flight.
    watch: {
      everyMs: job.cancelPollMs ?? 1000,
      onCancelled: () => controller.abort(new RunCancelledError(`the ${job.noun} was cancelled`)),
    },
  });
  const again = <T>(fn: () => Promise<T>) => retryTransient(fn, job.dbRetry);
  try {
    return await job.run(prepared, guarded, controller.signal);
  } catch (error) {
    if ((await again(() => store.status(db, id))) === "cancelled") return await again(job.storedOutcome);
    // Stopped by a cancel that no longer stands (every cancel is stored before it stops a job, and the
    // job is not cancelled now: someone resumed it meanwhile), or by the caller's signal: interrupted,
    // so that the resume holds and whoever claims the job next continues it.
    if (controller.signal.aborted || isRunCancelled(error))
      return { ...(await again(job.storedOutcome)), status: "interrupted", cause: error };
    // A database that stayed unavailable fails the job with a plain message: it can be resumed.
    await again(() => store.markFailed(db, id, error, guarded.failedStep));
    return { ...(await again(job.storedOutcome)), cause: error };
  } finally {
    signal?.removeEventListener("abort", forward);
  }
}
