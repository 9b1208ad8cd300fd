// A StepRunner decorator every runner goes through: it stops a cancelled run before a step's body pays
// for anything, watches for a cancel while a body runs (so its calls in flight can be aborted), never
// lets the result of an interrupted body become a checkpoint, tries a body again after a transient
// database error (with backoff), and remembers which step failed.
import type { StepRunner } from "@/lib/core/ports";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";

/** The run was cancelled: stop, record nothing more. */
export class RunCancelledError extends Error {
  constructor(message = "the run was cancelled") {
    super(message);
    this.name = "RunCancelledError";
  }
}

/** By name, not class: Next.js may bundle this module more than once in one process. */
export function isRunCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === "RunCancelledError";
}

export interface StepGuardOptions {
  /** Aborted when the run is cancelled (or the process is stopping). */
  signal?: AbortSignal;
  /** Asked before each step body runs (not for replayed steps): true stops the run. */
  isCancelled?: () => Promise<boolean>;
  /**
   * How a body that failed with a transient database error is run again (default: `retryTransient`'s
   * policy). A step is the durable unit: what a body recorded before failing (rows marked done, results
   * kept for the retry) is not paid for again, so repeating it is safe.
   */
  dbRetry?: RetryPolicy;
  /**
   * While a step body runs, `isCancelled` is asked every `everyMs` and `onCancelled` called once it says
   * yes (the caller aborts the calls in flight). Only while a body runs: between steps nothing is in
   * flight, and an Inngest invocation that ends at its next step leaves no timer behind.
   */
  watch?: { everyMs: number; onCancelled: () => void };
}

export interface GuardedStepRunner extends StepRunner {
  /** The id of the last step whose body (or stored result) failed, if any. */
  readonly failedStep: string | null;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new RunCancelledError();
}

export function guardSteps(inner: StepRunner, options: StepGuardOptions = {}): GuardedStepRunner {
  let failedStep: string | null = null;
  const { signal, isCancelled, dbRetry, watch } = options;
  // Bodies running now (batch steps may overlap) and the watcher that runs while there are any.
  let running = 0;
  let watcher: ReturnType<typeof setInterval> | undefined;
  const watched = async <T>(body: () => Promise<T>): Promise<T> => {
    if (!watch || !isCancelled) return body();
    if (running++ === 0) {
      watcher = setInterval(() => {
        isCancelled().then(
          (cancelled) => cancelled && watch.onCancelled(),
          () => {},
        );
      }, watch.everyMs);
      watcher.unref?.();
    }
    try {
      return await body();
    } finally {
      if (--running === 0) clearInterval(watcher);
    }
  };
  return {
    get failedStep() {
      return failedStep;
    },
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      try {
        return await inner.run(id, () =>
          watched(() =>
            retryTransient(
              async () => {
                if (signal?.aborted) throw abortError(signal);
                if (isCancelled && (await isCancelled())) throw new RunCancelledError();
                const value = await fn();
                // A body cut short by an abort may hold failed calls that never happened for real: never
                // store it.
                if (signal?.aborted) throw abortError(signal);
                return value;
              },
              { ...dbRetry, signal },
            ),
          ),
        );
      } catch (error) {
        failedStep = id;
        throw error;
      }
    },
    sleep: (id, ms) => inner.sleep(id, ms),
  };
}
