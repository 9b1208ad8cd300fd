// Durable jobs for the use cases: hand a stored job to the active runner, stop a cancelled one, take
// over unfinished ones (at start and from the lease poller). The kinds and their registry live in this
// folder; the engine in lib/runner.
import { InputError, RunnerUnavailableError } from "@/lib/core/errors";
import { type Db, getDb } from "@/lib/db";
import type { Env } from "@/lib/llm/providers/index";
import {
  cancelJob,
  dispatchJob,
  type JobPoller,
  type KindResumed,
  startJobPoller,
  takeOverUnfinishedJobs,
} from "@/lib/runner/engine";
import type { AnyJobKind, JobTarget } from "@/lib/runner/job-kind";
import { leaseSettings } from "@/lib/runner/lease";
import { activeRunner, type RunnerName } from "@/lib/runner/runner-choice";
import { batchJob } from "./batch";
import { optimizationRunJob } from "./optimization-run";
import { jobKinds } from "./registry";
import type { JobLimitProblem } from "./run-limits";

export { batchJob } from "./batch";
export { optimizationRunJob } from "./optimization-run";
export { jobKind, jobKinds } from "./registry";
export { type JobLimitProblem, runLimitProblem } from "./run-limits";

export interface HandOverOptions {
  /** Default: `activeRunner()` (STROP_RUNNER, INNGEST_EVENT_KEY, INNGEST_DEV). */
  runner?: RunnerName;
  env?: Env;
  /** Hands the stored job to something else than the active runner (tests, tools). */
  dispatch?: (target: JobTarget) => Promise<void>;
}

/**
 * Hands a stored, queued job to the active runner (or `options.dispatch`). When the runner cannot be
 * reached, the job is marked failed (it can be resumed) and a RunnerUnavailableError (503) names
 * it.
 */
export async function handOverJob(
  kind: AnyJobKind,
  db: Db,
  target: JobTarget,
  options: HandOverOptions = {},
): Promise<RunnerName> {
  const runner = options.runner ?? activeRunner(options.env ?? process.env);
  try {
    if (options.dispatch) await options.dispatch(target);
    else await dispatchJob(kind, db, target, runner);
  } catch (error) {
    const reason = `could not hand the ${kind.noun} to ${runner}: ${(error as Error).message}`;
    await kind.store.markFailed(db, target.id, new Error(reason), null);
    throw new RunnerUnavailableError(reason, { [kind.inngest.events.idField]: target.id });
  }
  return runner;
}

/**
 * Stops a job the caller has just marked cancelled (see `cancelJob`). A cancel event Inngest could not
 * take is logged: the cancelled status alone stops the job before its next step.
 */
export async function stopCancelledJob(
  kind: AnyJobKind,
  id: string,
  options: Pick<HandOverOptions, "runner" | "env"> = {},
): Promise<void> {
  try {
    await cancelJob(kind, id, options.runner ?? activeRunner(options.env ?? process.env));
  } catch (error) {
    console.error(
      `[strop runner] could not send the cancel event of ${kind.noun} ${id}:`,
      (error as Error).message,
    );
  }
}

/**
 * A 400 for a job the Inngest runner cannot fit (`problem` names the limit and the setting to change),
 * before anything is stored. Only with the Inngest runner: the embedded runner has no step limits.
 */
export function refuseUnfitJob(problem: JobLimitProblem | null, runner: RunnerName): void {
  if (runner !== "inngest" || problem === null) return;
  const { message, field } = problem;
  throw new InputError(message, { field, issues: [{ in: "body", path: field, message }] });
}

export interface ResumedJobs {
  runner: RunnerName;
  /** Per kind id: what was handed to the embedded runner, left to the CLI, or held by another process. */
  kinds: Record<string, KindResumed>;
}

/**
 * On app start (instrumentation.ts), with the embedded runner: every unfinished job the app resumes on
 * its own (not the CLI's) continues where it stopped, unless another live process holds its lease.
 * Inngest keeps its own jobs: nothing to do then.
 */
export async function resumeUnfinishedJobs(
  db?: Db,
  options: { runner?: RunnerName; env?: Env; kinds?: readonly AnyJobKind[] } = {},
): Promise<ResumedJobs> {
  const runner = options.runner ?? activeRunner(options.env ?? process.env);
  const kinds = options.kinds ?? jobKinds;
  if (runner !== "embedded") {
    const none = (): KindResumed => ({ resumed: [], skipped: [], heldElsewhere: [] });
    return { runner, kinds: Object.fromEntries(kinds.map((k) => [k.id, none()])) };
  }
  return { runner, kinds: await takeOverUnfinishedJobs(kinds, db ?? (await getDb())) };
}

/** `resumeUnfinishedJobs` for one kind. */
export async function resumeUnfinishedOf(
  kind: AnyJobKind,
  db?: Db,
  options: { runner?: RunnerName; env?: Env } = {},
): Promise<KindResumed & { runner: RunnerName }> {
  const { runner, kinds } = await resumeUnfinishedJobs(db, { ...options, kinds: [kind] });
  return { runner, ...(kinds[kind.id] as KindResumed) };
}

/** Runs of the app left queued or running (see `resumeUnfinishedJobs`). */
export const resumeUnfinishedRuns = (db?: Db, options?: { runner?: RunnerName; env?: Env }) =>
  resumeUnfinishedOf(optimizationRunJob, db, options);

/** Batches of the app left queued or running (see `resumeUnfinishedJobs`). */
export const resumeUnfinishedBatches = (db?: Db, options?: { runner?: RunnerName; env?: Env }) =>
  resumeUnfinishedOf(batchJob, db, options);

/**
 * With the embedded runner: every STROP_JOB_POLL_SECONDS (default 10), this process takes over the
 * unfinished jobs of the app whose lease expired — another instance crashed or was stopped mid-job — or
 * that nobody holds. Null with Inngest.
 */
export function startLeasePoller(
  options: { runner?: RunnerName; env?: Env; db?: () => Promise<Db> } = {},
): JobPoller | null {
  const env = options.env ?? process.env;
  if ((options.runner ?? activeRunner(env)) !== "embedded") return null;
  return startJobPoller(jobKinds, options.db ?? getDb, leaseSettings(env).pollMs);
}
