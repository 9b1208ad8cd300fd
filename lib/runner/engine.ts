// The job engine: what every kind of job gets from its definition (job-kind.ts) — dispatch to the
// active runner, cancel, the embedded runner's execution under a lease, and taking over unfinished jobs
// (at start, and from a poller while the app runs) when nobody holds their lease.
import { ConflictError } from "@/lib/core/errors";
import type { StepRunner } from "@/lib/core/ports";
import { type Db, heldJobIds } from "@/lib/db";
import { retryTransient } from "@/lib/db/transient";
import { createDbStepRunner, jobStateSteps } from "./db-step-runner";
import type { EmbeddedRunner, RunExecutor } from "./embedded";
import type { AnyJobKind, JobTarget } from "./job-kind";
import { type HeldLease, type LeaseSettings, leaseSettings, processHolder, withJobLease } from "./lease";
import { activeRunner, embeddedRunner, existingEmbeddedRunner, type RunnerName } from "./runner-choice";

/** The embedded runner's steps for a kind: DB checkpoints of step results, or the job's own rows. */
export function embeddedSteps(kind: AnyJobKind, db: Db, id: string): StepRunner {
  return kind.checkpoints === "step-results" ? createDbStepRunner(db, id) : jobStateSteps();
}

/**
 * What the embedded runner calls for a job of `kind`: its execution while this process holds its lease.
 * Resolves to null, executing nothing, when another process holds a valid lease.
 */
export function embeddedJobExecutor(
  kind: AnyJobKind,
  db: Db,
  settings: Pick<LeaseSettings, "ttlMs" | "heartbeatMs"> = leaseSettings(),
): RunExecutor {
  return async (id, signal) => {
    const leased = await withJobLease(
      db,
      { kind: kind.id, jobId: id },
      processHolder(),
      settings,
      (lost, lease) =>
        kind.execute(db, id, lease.steps(embeddedSteps(kind, db, id)), AbortSignal.any([signal, lost])),
    );
    return leased.claimed ? leased.value : null;
  };
}

/**
 * Executes a job in this process outside the embedded runner's queue (the CLI's `optimize`, `eval`,
 * `runs resume`, `batch`), under its lease as the embedded runner would: no app instance takes it over
 * while it runs, and a job another process holds is refused (409) instead of executed twice.
 */
export async function executeLeased<T>(
  kind: AnyJobKind,
  db: Db,
  id: string,
  execute: (lost: AbortSignal, lease: HeldLease) => Promise<T>,
  settings: Pick<LeaseSettings, "ttlMs" | "heartbeatMs"> = leaseSettings(),
): Promise<T> {
  const leased = await withJobLease(db, { kind: kind.id, jobId: id }, processHolder(), settings, execute);
  if (!leased.claimed)
    throw new ConflictError(
      `${kind.noun} ${id} is being executed by another process (it holds the ${kind.noun}'s lease): ` +
        `wait for it to finish, or cancel the ${kind.noun}`,
    );
  return leased.value;
}

export interface EngineDeps {
  /** The embedded runner (this process's, unless a test brings its own). */
  embedded: () => EmbeddedRunner;
  settings?: Pick<LeaseSettings, "ttlMs" | "heartbeatMs">;
}

const thisProcess: EngineDeps = { embedded: embeddedRunner };

/**
 * Hands a stored, queued job to `runner`: the kind's Inngest event, or the embedded queue. Throws when
 * Inngest cannot be reached.
 */
export async function dispatchJob(
  kind: AnyJobKind,
  db: Db,
  target: JobTarget,
  runner: RunnerName = activeRunner(),
  deps: EngineDeps = thisProcess,
): Promise<void> {
  if (runner === "inngest") {
    // Loaded on demand: processes that only use the embedded runner never load the Inngest SDK.
    const { sendJobRequested } = await import("./inngest-transport");
    await sendJobRequested(kind, target);
  } else deps.embedded().submit(target.id, embeddedJobExecutor(kind, db, deps.settings));
}

/**
 * Stops a job the caller has already marked cancelled: aborts it when it runs (or waits) in this
 * process, and with Inngest sends the kind's cancel event. A job executing in another process sees the
 * cancelled status before its next step (and aborts its calls in flight within about a second).
 */
export async function cancelJob(
  kind: AnyJobKind,
  id: string,
  runner: RunnerName = activeRunner(),
  embedded: EmbeddedRunner | undefined = existingEmbeddedRunner(),
): Promise<void> {
  embedded?.cancel(id);
  if (runner === "inngest") {
    const { sendJobCancel } = await import("./inngest-transport");
    await sendJobCancel(kind, id);
  }
}

export interface KindResumed {
  /** Handed to the embedded runner. */
  resumed: string[];
  /** Left to the process that started them (the CLI's jobs). */
  skipped: string[];
  /** Held by another live process (its lease is valid): taken over by the poller if it expires. */
  heldElsewhere: string[];
}

/**
 * Hands every unfinished job of `kinds` that the app resumes on its own, that this process does not
 * execute already and whose lease nobody holds, to the embedded runner (which claims the lease first).
 */
export async function takeOverUnfinishedJobs(
  kinds: readonly AnyJobKind[],
  db: Db,
  deps: EngineDeps = thisProcess,
): Promise<Record<string, KindResumed>> {
  const runner = deps.embedded();
  const here = runner.snapshot();
  const busy = new Set([...here.running, ...here.waiting]);
  const result: Record<string, KindResumed> = {};
  for (const kind of kinds) {
    const entry: KindResumed = { resumed: [], skipped: [], heldElsewhere: [] };
    result[kind.id] = entry;
    const unfinished = await retryTransient(() => kind.store.listUnfinished(db));
    const candidates = unfinished.filter((job) => {
      if (!kind.resumesUnattended(job)) entry.skipped.push(job.id);
      return kind.resumesUnattended(job) && !busy.has(job.id);
    });
    const held = await retryTransient(() =>
      heldJobIds(
        db,
        kind.id,
        candidates.map((job) => job.id),
      ),
    );
    for (const job of candidates) {
      if (held.has(job.id)) entry.heldElsewhere.push(job.id);
      else {
        runner.submit(job.id, embeddedJobExecutor(kind, db, deps.settings));
        entry.resumed.push(job.id);
      }
    }
  }
  return result;
}

export interface JobPoller {
  /** One look now (the poller's timer calls it too); resolves with what it handed over. */
  tick(): Promise<Record<string, KindResumed>>;
  stop(): void;
}

/**
 * Every `pollMs`, takes over the unfinished jobs whose lease expired (a crashed or stopped instance)
 * or that nobody claimed (queued on an instance that went away). Errors are logged; the timer does not
 * keep the process alive.
 */
export function startJobPoller(
  kinds: readonly AnyJobKind[],
  db: () => Promise<Db>,
  pollMs: number,
  deps: EngineDeps = thisProcess,
): JobPoller {
  let running: Promise<Record<string, KindResumed>> | null = null;
  const tick = () => {
    running ??= db()
      .then((database) => takeOverUnfinishedJobs(kinds, database, deps))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) =>
      console.error("[strop runner] looking for jobs to take over failed:", error),
    );
  }, pollMs);
  timer.unref?.();
  return { tick, stop: () => clearInterval(timer) };
}
