// The live events of any job (GET …/{job}/events), polled from the database whichever runner executes
// it. The kind's projection (JobStreamProjection) says what its events carry; the stream is always:
//   progress  (no id)          on connect and whenever its data changes;
//   <item>    (id = number)    numbered events (a run's iterations) once each; a reconnect with
//                              Last-Event-ID k resumes after item k;
//   end       (id "end")       once the job finished, then the stream ends. A client that saw `end`
//                              (Last-Event-ID "end") gets `end` alone.
// The wire format, heartbeats and stopping when the client leaves are lib/http/sse.ts's.
import { InputError } from "@/lib/core/errors";
import type { Db } from "@/lib/db";
import { isTerminalJobStatus, type JobStatus, type JobStreamProjection } from "./job-kind";

/** The id of the last event a client saw: an item number, "end", or none. */
export type LastEventId = number | "end" | null;

/**
 * The Last-Event-ID a client sent (header or query): a numbered event's id, "end", or nothing.
 * Anything else is a 400 naming where it came from.
 */
export function parseLastEventId(value: string | null | undefined, from: string): LastEventId {
  if (value === null || value === undefined || value.trim() === "") return null;
  const v = value.trim();
  if (v === "end") return "end";
  if (/^\d{1,9}$/.test(v)) return Number(v);
  throw new InputError(`Invalid ${from}: not an event id this stream sent (an event number or end)`, {
    issues: [{ in: "query", path: "lastEventId", message: "not an event id this stream sent" }],
  });
}

export type JobStreamEvent<TProgress, TItemEvent extends string, TItem, TEnd> =
  | { event: "progress"; data: TProgress; retry?: number }
  | { event: TItemEvent; id: string; data: TItem }
  | { event: "end"; id: "end"; data: TEnd };

export const JOB_EVENT_POLL_MS = 500;

export interface JobEventsOptions {
  /** The client's Last-Event-ID (parsed with `parseLastEventId`). */
  lastEventId?: LastEventId;
  /** How often the job is read (default 500 ms). */
  pollMs?: number;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * The events of job `id` as `projection` sees it, until the job finished (then `end`) or `signal`
 * aborts (the client went away), or the job is gone.
 */
export async function* pollJobEvents<S extends { status: JobStatus }, P, N extends string, I, E>(
  projection: JobStreamProjection<S, P, I, E, N>,
  db: Db,
  id: string,
  signal: AbortSignal,
  options: JobEventsOptions = {},
): AsyncGenerator<JobStreamEvent<P, N, I, E>> {
  const last = options.lastEventId ?? null;
  // The last numbered event the client has: nothing after "end" is sent again.
  let after = last === "end" ? 2_147_483_647 : (last ?? 0);
  let sentProgress: string | null = null;
  while (!signal.aborted) {
    const state = await projection.read(db, id, after);
    if (!state || signal.aborted) return;
    const finished = isTerminalJobStatus(state.status);
    if (!(last === "end" && finished)) {
      const progress = projection.progress(state);
      const key = JSON.stringify(progress);
      if (key !== sentProgress) {
        const first = sentProgress === null && projection.reconnectMs !== undefined;
        yield { event: "progress", data: progress, ...(first ? { retry: projection.reconnectMs } : {}) };
        sentProgress = key;
      }
      if (projection.items)
        for (const item of projection.items.list(state)) {
          yield { event: projection.items.event, id: String(item.number), data: item.data };
          after = item.number;
        }
    }
    if (finished) {
      yield { event: "end", id: "end", data: projection.end(state) };
      return;
    }
    await pause(options.pollMs ?? JOB_EVENT_POLL_MS, signal);
  }
}
