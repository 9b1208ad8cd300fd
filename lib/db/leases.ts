// Leases on durable jobs (JobLease, one row per kind and job): the app process executing a job holds its
// lease and renews it while it works; another process claims the job only once the lease has expired (its
// holder crashed or lost the database). So several app instances on one database never execute a job at
// the same time. Times are the processes' own clocks: instances must agree within a few seconds.
import type { Db } from "./client";
import { isUniqueViolation } from "./util";

export interface LeaseKey {
  /** The job kind ("optimization-run", "batch", …). */
  kind: string;
  jobId: string;
}

export interface JobLeaseRecord extends LeaseKey {
  holder: string;
  expiresAt: Date;
}

/**
 * Takes the lease of a job for `holder` until `ttlMs` from now, when nobody holds it, its lease expired,
 * or `holder` holds it already. False when another holder's lease is still valid.
 */
export async function claimJobLease(db: Db, key: LeaseKey, holder: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  // One conditional UPDATE: of two processes taking over the same expired lease, the second finds the
  // first one's fresh expiry (PostgreSQL re-checks the condition on the locked row; SQLite serializes).
  const { count } = await db.jobLease.updateMany({
    where: { kind: key.kind, jobId: key.jobId, OR: [{ holder }, { expiresAt: { lte: now } }] },
    data: { holder, expiresAt },
  });
  if (count > 0) return true;
  try {
    await db.jobLease.create({ data: { kind: key.kind, jobId: key.jobId, holder, expiresAt } });
    return true;
  } catch (error) {
    // Someone holds it (or took it first).
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Extends `holder`'s lease to `ttlMs` from now. False when it no longer holds it (it expired and was taken). */
export async function renewJobLease(db: Db, key: LeaseKey, holder: string, ttlMs: number): Promise<boolean> {
  const { count } = await db.jobLease.updateMany({
    where: { kind: key.kind, jobId: key.jobId, holder },
    data: { expiresAt: new Date(Date.now() + ttlMs) },
  });
  return count > 0;
}

/** Gives the lease up (only `holder`'s own): the job can be claimed at once. */
export async function releaseJobLease(db: Db, key: LeaseKey, holder: string): Promise<void> {
  await db.jobLease.deleteMany({ where: { kind: key.kind, jobId: key.jobId, holder } });
}

/** The ids among `jobIds` of kind `kind` whose lease is still valid (someone is executing them). */
export async function heldJobIds(db: Db, kind: string, jobIds: string[]): Promise<Set<string>> {
  if (jobIds.length === 0) return new Set();
  const rows = await db.jobLease.findMany({
    where: { kind, jobId: { in: jobIds }, expiresAt: { gt: new Date() } },
    select: { jobId: true },
  });
  return new Set(rows.map((row) => row.jobId));
}

/** The lease of a job, if any (expired ones included). */
export async function getJobLease(db: Db, key: LeaseKey): Promise<JobLeaseRecord | null> {
  return db.jobLease.findUnique({
    where: { kind_jobId: { kind: key.kind, jobId: key.jobId } },
    select: { kind: true, jobId: true, holder: true, expiresAt: true },
  });
}
