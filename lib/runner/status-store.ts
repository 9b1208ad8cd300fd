// The store of a job kind whose record keeps its status, error and failed step in one place and moves
// them with a compare-and-set (`move`): experiment analyses and promotions. The claim, cancel, failure
// and reopen rules are the same for every such kind, so they are written once here.
import type { Db } from "@/lib/db";
import { storedJobError } from "./job-errors";
import type { JobStatus, JobStore, JobTarget } from "./job-kind";

/** The statuses a job can still be claimed, cancelled, failed or finished from. */
export const ACTIVE_JOB_STATUSES: JobStatus[] = ["queued", "running"];

export interface StatusPatch {
  status: JobStatus;
  error?: string | null;
  failedStep?: string | null;
}

export interface StatusColumn {
  /** What the job is called in its stored error ("analysis", "promotion"). */
  noun: string;
  status(db: Db, id: string): Promise<JobStatus | null>;
  /** Applies `patch` when the job's status is one of `from`; false when it was not (nothing changed). */
  move(db: Db, id: string, from: JobStatus[], patch: StatusPatch): Promise<boolean>;
  /** Ids of queued and running jobs, oldest first. */
  listUnfinished(db: Db): Promise<{ id: string }[]>;
  target(db: Db, id: string): Promise<JobTarget | null>;
}

/** A JobStore over `column`; every unfinished job is the app's (it continues on its own). */
export function statusColumnStore(column: StatusColumn): JobStore {
  return {
    status: column.status,
    claim: (db, id) => column.move(db, id, ACTIVE_JOB_STATUSES, { status: "running" }),
    markCancelled: (db, id) => column.move(db, id, ACTIVE_JOB_STATUSES, { status: "cancelled" }),
    async markFailed(db, id, error, failedStep) {
      // A plain message, never driver text (its detail goes to the server log).
      const stored = storedJobError(error, column.noun, id).slice(0, 2000);
      await column.move(db, id, ACTIVE_JOB_STATUSES, { status: "failed", error: stored, failedStep });
    },
    listUnfinished: async (db) => (await column.listUnfinished(db)).map(({ id }) => ({ id, origin: "app" })),
    async reopen(db, id) {
      const from = await column.status(db, id);
      if (from === null) return { outcome: "missing" };
      if (from !== "failed" && from !== "cancelled") return { outcome: "not-resumable", from };
      const moved = await column.move(db, id, [from], { status: "queued", error: null, failedStep: null });
      return moved ? { outcome: "reopened", from } : { outcome: "not-resumable", from: "queued" };
    },
    target: column.target,
  };
}
