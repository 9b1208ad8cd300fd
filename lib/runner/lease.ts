// Holding a job's lease while executing it on the embedded runner: claim before the first step, renew
// on a heartbeat, release at the end. A holder that cannot renew in time (the database is away, or the
// lease expired and another process took it) stops its execution as "interrupted": the job stays
// running, and whoever holds the lease next continues it from its last finished step.
//   STROP_JOB_LEASE_SECONDS  how long a lease lasts without renewal (default 30; renewed every third)
//   STROP_JOB_POLL_SECONDS   how often an app process looks for unfinished jobs whose lease expired
//                            (default 10)
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { StepRunner } from "@/lib/core/ports";
import { claimJobLease, type Db, getJobLease, type LeaseKey, releaseJobLease, renewJobLease } from "@/lib/db";
import { retryTransient } from "@/lib/db/transient";

export const DEFAULT_LEASE_SECONDS = 30;
export const DEFAULT_POLL_SECONDS = 10;

export interface LeaseSettings {
  /** How long a claimed or renewed lease lasts. */
  ttlMs: number;
  /** How often the holder renews it (a third of the lease). */
  heartbeatMs: number;
  /** How often the poller looks for jobs to take over. */
  pollMs: number;
}

function seconds(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${name} must be a positive number of seconds, got "${raw}"`);
  return n;
}

export function leaseSettings(env: Record<string, string | undefined> = process.env): LeaseSettings {
  const ttlMs = seconds(env, "STROP_JOB_LEASE_SECONDS", DEFAULT_LEASE_SECONDS) * 1000;
  return {
    ttlMs,
    heartbeatMs: Math.max(10, Math.floor(ttlMs / 3)),
    pollMs: seconds(env, "STROP_JOB_POLL_SECONDS", DEFAULT_POLL_SECONDS) * 1000,
  };
}

// One holder id per process (kept on globalThis: Next.js may bundle this module more than once), with
// host and pid for people reading the table.
const holder = globalThis as typeof globalThis & { __stropLeaseHolder?: string };

export function processHolder(): string {
  holder.__stropLeaseHolder ??= `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return holder.__stropLeaseHolder;
}

/**
 * A holder that was a process on this machine and is gone (killed, crashed): its lease need not run out
 * before another process here continues the job — `strop runs resume` right after a killed `strop
 * optimize`, or an app restarted on the same host. A process elsewhere, or one still alive (or a reused
 * pid), is never judged gone: its lease runs its course.
 */
export function goneLocalHolder(holderId: string, host = hostname()): boolean {
  const [holderHost, pid] = holderId.split(":");
  if (holderHost !== host || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Claims the job's lease; a lease held by a gone process of this machine is taken over at once. */
async function claimOrTakeOver(db: Db, key: LeaseKey, owner: string, ttlMs: number): Promise<boolean> {
  if (await claimJobLease(db, key, owner, ttlMs)) return true;
  const held = await getJobLease(db, key);
  if (!held || !goneLocalHolder(held.holder)) return false;
  // Released only if that holder still has it (a conditional delete), then claimed like any free lease.
  await releaseJobLease(db, key, held.holder);
  return claimJobLease(db, key, owner, ttlMs);
}

/** The lease was lost: another process may execute the job now, so this one stops. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseLostError";
  }
}

export type LeasedResult<T> = { claimed: false } | { claimed: true; value: T };

/** What `execute` gets, besides the lease's signal, while it holds a job's lease. */
export interface HeldLease {
  /**
   * `inner`, checking right before each step body that the lease still holds, and refusing the body (a
   * LeaseLostError) when it ran out: a process that was stalled past its lease (paused, or its thread
   * busy) starts no step another process may be running by now. The clock decides at once; the heartbeat
   * due at the same moment only starts a renewal, whose answer would come after the step started.
   */
  steps(inner: StepRunner): StepRunner;
}

/**
 * Runs `execute` while holding the lease of `key` for `owner`. `execute`'s signal aborts (with a
 * LeaseLostError) when the lease could not be renewed before it would expire. Not claimed (another
 * process holds a valid lease): `execute` does not run.
 */
export async function withJobLease<T>(
  db: Db,
  key: LeaseKey,
  owner: string,
  settings: Pick<LeaseSettings, "ttlMs" | "heartbeatMs">,
  execute: (signal: AbortSignal, lease: HeldLease) => Promise<T>,
): Promise<LeasedResult<T>> {
  const claimedAt = Date.now();
  if (!(await retryTransient(() => claimOrTakeOver(db, key, owner, settings.ttlMs))))
    return { claimed: false };
  let validUntil = claimedAt + settings.ttlMs;
  const lost = new AbortController();
  let renewing = false;
  const giveUp = () =>
    lost.abort(new LeaseLostError(`the lease of ${key.kind} ${key.jobId} could not be renewed`));
  const heartbeat = setInterval(async () => {
    if (lost.signal.aborted) return;
    if (renewing) {
      // A renewal that hangs (the database is unreachable) must not outlive the lease either.
      if (Date.now() + settings.heartbeatMs >= validUntil) giveUp();
      return;
    }
    renewing = true;
    const asked = Date.now();
    try {
      if (await renewJobLease(db, key, owner, settings.ttlMs)) validUntil = asked + settings.ttlMs;
      else lost.abort(new LeaseLostError(`the lease of ${key.kind} ${key.jobId} was taken over`));
    } catch {
      // Keep trying while the lease holds; stop before another process may take it.
      if (Date.now() + settings.heartbeatMs >= validUntil) giveUp();
    } finally {
      renewing = false;
    }
  }, settings.heartbeatMs);
  heartbeat.unref?.();
  const held: HeldLease = {
    steps: (inner) => ({
      run: (id, fn) =>
        inner.run(id, async () => {
          if (!lost.signal.aborted && Date.now() >= validUntil) giveUp();
          if (lost.signal.aborted) throw lost.signal.reason;
          return fn();
        }),
      sleep: (id, ms) => inner.sleep(id, ms),
    }),
  };
  try {
    return { claimed: true, value: await execute(lost.signal, held) };
  } finally {
    clearInterval(heartbeat);
    // Not ours any more when it was lost; otherwise free it at once for the next execution.
    if (!lost.signal.aborted)
      await retryTransient(() => releaseJobLease(db, key, owner)).catch((error: unknown) =>
        console.error(`[strop runner] could not release the lease of ${key.kind} ${key.jobId}:`, error),
      );
  }
}
