// What a kind of durable job (an optimization run, a batch, …) tells the engine about itself. One
// definition per kind (lib/services/jobs/<kind>.ts), listed in lib/services/jobs/registry.ts; from it
// the engine derives the Inngest function (inngest/functions), dispatch and cancel on either runner,
// leases, the resume at start and by the lease poller, the resume of a stopped job, and the live event
// stream. Generic on purpose: nothing here knows runs or batches.
import { z } from "zod";
import type { StepRunner } from "@/lib/core/ports";
import type { Db, JobAudit, ReopenResult } from "@/lib/db";

/** Every job's lifecycle: queued → running → succeeded | failed | cancelled. */
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** The statuses a job never leaves on its own (a failed or cancelled one only by an explicit resume). */
export const TERMINAL_JOB_STATUSES = ["succeeded", "failed", "cancelled"] as const;
export type TerminalJobStatus = (typeof TERMINAL_JOB_STATUSES)[number];

export function isTerminalJobStatus(status: string | null | undefined): status is TerminalJobStatus {
  return (TERMINAL_JOB_STATUSES as readonly (string | null | undefined)[]).includes(status);
}

/**
 * How one execution ended. "interrupted": the caller's signal stopped it without a cancel (the process
 * is stopping, the lease was lost): the job stays running and continues from where it stopped.
 */
export type JobOutcomeStatus = TerminalJobStatus | "interrupted";

export interface JobOutcome {
  status: JobOutcomeStatus;
  error: string | null;
  /** The id of the step whose body failed, when one did. */
  failedStep: string | null;
  /** The error that failed the job (this process only; not stored). */
  cause?: unknown;
}

/** Where a job is sent: its id, and the keys of Inngest's flow control. */
export interface JobTarget {
  id: string;
  /** Concurrency key: jobs of one project share its slots. */
  projectId: string;
  /** Concurrency (and throttle) key: the provider the job calls, "none" when it calls none. */
  provider: string;
  /** A narrower concurrency key a kind may declare (e.g. a promotion's task and label). */
  scope?: string;
}

/** Who started a job: the app (its API and pages), or the CLI, which executes its jobs itself. */
export type JobOrigin = "app" | "cli";

export interface UnfinishedJob {
  id: string;
  origin: JobOrigin;
}

/** The store operations the engine needs (each kind maps them onto its own table). */
export interface JobStore {
  /** The job's status; null when there is no such job. */
  status(db: Db, id: string): Promise<JobStatus | null>;
  /** Moves a queued or running job to running; false (nothing changed) when it finished or is cancelled. */
  claim(db: Db, id: string): Promise<boolean>;
  /** Marks a queued or running job cancelled; false when it had finished. */
  markCancelled(db: Db, id: string): Promise<boolean>;
  /** Fails a queued or running job with `error` (stored as a plain message, never driver text). */
  markFailed(db: Db, id: string, error: unknown, failedStep: string | null): Promise<void>;
  /** Queued and running jobs of every project, oldest first. */
  listUnfinished(db: Db): Promise<UnfinishedJob[]>;
  /** A failed or cancelled job back to queued (audited with `audit`), keeping what it finished. */
  reopen(db: Db, id: string, audit?: JobAudit): Promise<ReopenResult>;
  /** Where the stored job is dispatched (null: no such job). */
  target(db: Db, id: string): Promise<JobTarget | null>;
}

export interface ConcurrencyKey {
  key: string;
  limit: number;
}

/** Inngest's flow control of a kind's function (concurrency keys are paths into the event). */
export interface JobFlowControl {
  /** At most two keys (Inngest's limit). */
  concurrency: [ConcurrencyKey] | [ConcurrencyKey, ConcurrencyKey];
  throttle?: { key: string; limit: number; period: `${number}${"s" | "m" | "h"}`; burst?: number };
  retries: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
}

/**
 * The job's two events on Inngest. Their data is `{ [idField]: id, projectId, provider, scope? }` and
 * `{ [idField]: id }`; a cancel event matches the run whose triggering event has the same id.
 */
export interface JobEvents {
  requested: string;
  cancel: string;
  /** The data field holding the job's id ("runId", "batchId"): deployed apps depend on the names. */
  idField: string;
}

/** The live events of a job (GET …/events): what the generic stream sends, read from the database. */
export interface JobStreamProjection<
  TState extends { status: JobStatus },
  TProgress,
  TItem = never,
  TEnd = unknown,
  TItemEvent extends string = string,
> {
  /** The job as the stream sees it; `after` is the number of numbered items the client already has. */
  read(db: Db, id: string, after: number): Promise<TState | null>;
  /** The `progress` event's data, sent on connect and whenever it changes. */
  progress(state: TState): TProgress;
  /** Numbered events (id k = item number k, counted from 1) found by `read`, in order. */
  items?: { event: TItemEvent; list(state: TState): { number: number; data: TItem }[] };
  /** The `end` event's data (id "end"), sent once the job finished. */
  end(state: TState): TEnd;
  /** Reconnection delay the browser is told with the first progress event (ms). */
  reconnectMs?: number;
}

export interface ExecuteJobOptions {
  /** How often the database is asked whether the job was cancelled elsewhere (ms; default 1000). */
  cancelPollMs?: number;
}

/**
 * A kind of durable job. `TOutcome` is what an execution returns; `TResult` what the Inngest function
 * returns (small: Inngest keeps it in the run's state).
 */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds kinds of every stream shape.
export interface JobKind<TOutcome extends JobOutcome = JobOutcome, TResult = unknown, TStream = any> {
  /** Stable id ("optimization-run", "batch"): lease rows and logs name it. */
  id: string;
  /** What people call one ("run", "batch"): messages say it. */
  noun: string;
  inngest: {
    /** The Inngest function id: deployed apps depend on it. */
    functionId: string;
    name: string;
    events: JobEvents;
    /** Flow control, tunable from the environment. */
    flowControl(env: Record<string, string | undefined>): JobFlowControl;
    /**
     * Why this stored job cannot run as one Inngest function run (1,000 steps, 4 MB per step, 32 MB of
     * state), naming the limit; null when it fits. Checked before the function executes anything.
     */
    limitProblem?(db: Db, id: string): Promise<string | null>;
  };
  store: JobStore;
  /**
   * Resume policy: which unfinished jobs the app continues on its own (at start and from the lease
   * poller). The others belong to the process that started them (`strop … --resume`).
   */
  resumesUnattended(job: UnfinishedJob): boolean;
  /**
   * How finished steps survive a restart: "step-results" stores each step's result (StepCheckpoint,
   * keyed by the job id: runs only), "job-state" relies on the job's own rows (a step body skips the
   * work it finds done).
   */
  checkpoints: "step-results" | "job-state";
  /** Runs (or resumes, or replays) the stored job through `steps`; never throws for a failing job. */
  execute(
    db: Db,
    id: string,
    steps: StepRunner,
    signal?: AbortSignal,
    options?: ExecuteJobOptions,
  ): Promise<TOutcome>;
  /** What the Inngest function returns for an outcome. */
  functionResult(id: string, outcome: TOutcome): TResult;
  stream: TStream;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds kinds of every outcome and result.
export type AnyJobKind = JobKind<any, any, any>;

/** The zod schemas of a kind's event data (`JobEvents`). */
export function jobEventSchemas(events: JobEvents) {
  const id = z.string().min(1);
  return {
    requested: z.object({
      [events.idField]: id,
      projectId: z.string().min(1),
      provider: z.string().min(1),
      scope: z.string().min(1).optional(),
    }),
    cancel: z.object({ [events.idField]: id }),
  };
}

/** The data of a kind's events for `target`. */
export function requestedEventData(kind: AnyJobKind, target: JobTarget): Record<string, string> {
  return {
    [kind.inngest.events.idField]: target.id,
    projectId: target.projectId,
    provider: target.provider,
    ...(target.scope === undefined ? {} : { scope: target.scope }),
  };
}

/** A positive integer from the environment, else `fallback` (flow control settings). */
export function positiveSetting(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
): number {
  const n = Number(env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
