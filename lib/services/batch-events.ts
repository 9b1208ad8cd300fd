// A batch's live progress (GET …/batches/{batch}/events): the projection of a batch into the job
// engine's generic stream (lib/runner/job-events.ts): `progress` (its counters) on connect and whenever a
// counter changes, then `end` (id "end", the counters and the error) once the batch is finished, and the
// stream ends. A client that saw `end` (Last-Event-ID "end") gets `end` again at once.
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import { type BatchRecord, type Db, getBatchRecord, getProjectBatch } from "@/lib/db";
import { type JobStreamEvent, parseLastEventId, pollJobEvents } from "@/lib/runner/job-events";
import type { JobStreamProjection } from "@/lib/runner/job-kind";

export interface BatchCounters {
  status: BatchRecord["status"];
  totalRows: number;
  doneRows: number;
  failedRows: number;
  skippedRows: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHits: number;
}

export function batchCounters(batch: BatchCounters): BatchCounters {
  return {
    status: batch.status,
    totalRows: batch.totalRows,
    doneRows: batch.doneRows,
    failedRows: batch.failedRows,
    skippedRows: batch.skippedRows,
    calls: batch.calls,
    inputTokens: batch.inputTokens,
    outputTokens: batch.outputTokens,
    costUsd: batch.costUsd,
    cacheHits: batch.cacheHits,
  };
}

/** `end` event: the counters and the error of a finished batch. */
export type BatchEndEvent = BatchCounters & { error: string | null };

/** What a batch's stream sends. */
export const batchStreamProjection: JobStreamProjection<
  BatchRecord,
  BatchCounters,
  never,
  BatchEndEvent,
  never
> = {
  read: (db, id) => getBatchRecord(db, id),
  progress: batchCounters,
  end: (batch) => ({ ...batchCounters(batch), error: batch.error ?? null }),
  // The first event also tells the browser to wait 2 s before reconnecting after a drop.
  reconnectMs: 2000,
};

export type BatchEvent = JobStreamEvent<BatchCounters, never, never, BatchEndEvent>;

export interface BatchEventOptions {
  /** The Last-Event-ID of a reconnecting client ("end", or nothing; anything else is a 400). */
  lastEventId?: string | null;
  /** How often the batch is read (default 500 ms). */
  intervalMs?: number;
}

/**
 * Checks the batch exists in the caller's project (404 otherwise, before any byte is streamed) and
 * returns the producer of its events for `sseResponse`.
 */
export async function openBatchEvents(
  db: Db,
  access: ProjectAccess,
  id: string,
  options: BatchEventOptions = {},
): Promise<(signal: AbortSignal) => AsyncIterable<BatchEvent>> {
  const batch = id.length <= 100 ? await getProjectBatch(db, access.project.id, id) : null;
  if (!batch) throw new NotFoundError(`no batch "${id}" in this project`);
  const lastEventId = parseLastEventId(options.lastEventId, "Last-Event-ID");
  return (signal) =>
    pollJobEvents(batchStreamProjection, db, batch.id, signal, { lastEventId, pollMs: options.intervalMs });
}
