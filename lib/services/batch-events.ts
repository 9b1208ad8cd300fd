// A batch's live progress as server-sent events, derived from polling getBatch: `progress` on connect and
// whenever a counter changes, then `end` (id "end") once the batch is finished, and the stream ends. A
// client that saw `end` (Last-Event-ID "end") gets `end` again at once. Stops when the client goes away.
import type { ProjectAccess } from "@/lib/auth/principal";
import type { Db } from "@/lib/db";
import { type SseMessage, sleep } from "@/lib/http/sse";
import { type BatchDetail, getBatch } from "./batches";

export const FINISHED_BATCH_STATUSES = ["succeeded", "failed", "cancelled"] as const;

export interface BatchCounters {
  status: BatchDetail["status"];
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

export function batchCounters(batch: BatchDetail): BatchCounters {
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

export const isFinishedBatch = (status: string) =>
  (FINISHED_BATCH_STATUSES as readonly string[]).includes(status);

const endEvent = (batch: BatchDetail): SseMessage => ({
  event: "end",
  id: "end",
  data: { ...batchCounters(batch), error: batch.error ?? null },
});

export interface BatchEventOptions {
  /** The Last-Event-ID of a reconnecting client. */
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
): Promise<(signal: AbortSignal) => AsyncIterable<SseMessage>> {
  const first = await getBatch(db, access, id);
  const intervalMs = options.intervalMs ?? 500;
  return async function* events(signal) {
    let batch = first;
    if (options.lastEventId === "end" && isFinishedBatch(batch.status)) {
      yield endEvent(batch);
      return;
    }
    let sent = "";
    for (;;) {
      const progress = JSON.stringify(batchCounters(batch));
      if (progress !== sent) {
        // The first event also tells the browser to wait 2 s before reconnecting after a drop.
        yield { event: "progress", data: progress, ...(sent === "" ? { retry: 2000 } : {}) };
        sent = progress;
      }
      if (isFinishedBatch(batch.status)) {
        yield endEvent(batch);
        return;
      }
      await sleep(intervalMs, signal);
      if (signal.aborted) return;
      batch = await getBatch(db, access, id);
    }
  };
}
