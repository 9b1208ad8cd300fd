// A batch executed in this process (`strop batch`, `strop batch --resume`), holding its lease as the
// embedded runner would: no app instance takes it over meanwhile, and a batch another process executes
// is a 409 instead of a second execution (which would pay for its rows twice).
import type { Db } from "@/lib/db";
import { executeLeased } from "@/lib/runner/engine";
import { type BatchOutcome, type ExecuteBatchOptions, executeBatch, rowStateSteps } from "../batch-execution";
import { batchJob } from "../jobs/batch";

export function executeBatchHere(
  db: Db,
  batchId: string,
  signal: AbortSignal,
  options: ExecuteBatchOptions = {},
): Promise<BatchOutcome> {
  return executeLeased(batchJob, db, batchId, (lost, lease) =>
    executeBatch(db, batchId, lease.steps(rowStateSteps()), AbortSignal.any([signal, lost]), options),
  );
}
