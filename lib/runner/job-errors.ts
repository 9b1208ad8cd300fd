// The error a failed job stores, which the API, the pages and the CLI show: never an ORM or
// driver message (a Prisma error names the query, the call site and the server's text). A database
// failure is stored as a plain sentence saying what to do, and its detail goes to the server log.
import { isDatabaseError, isTransientDbError, transientErrorCode } from "@/lib/db/transient";

function detail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The message to store for a job that `error` stopped (the detail of a database error is logged). */
export function storedJobError(error: unknown, kind: string, id: string): string {
  if (isTransientDbError(error)) {
    console.error(
      `[strop] ${kind} ${id} stopped: the database stayed unavailable (${transientErrorCode(error)}):`,
      detail(error),
    );
    return `the database was unavailable; resume the ${kind}`;
  }
  if (isDatabaseError(error)) {
    console.error(`[strop] ${kind} ${id} stopped by a database error:`, detail(error));
    return `a database error stopped the ${kind} (details in the server log); resume the ${kind}`;
  }
  return error instanceof Error ? error.message : String(error);
}
