// A run's live events as a Server-Sent Events stream (GET …/runs/{run}/events). The server polls the
// database (every run writes its progress there, whichever runner executes it) and sends:
//   progress  (no id)        on connect and whenever status, progress or totals change;
//   iteration (id index+1)   each finished iteration once; a reconnect with Last-Event-ID k resumes at
//                            iteration index k (the ones the client has are not sent again);
//   end       (id "end")     once the run is finished, then the stream closes.
// The wire format, the heartbeat comment (every 15 s) and stopping when the client goes away are
// lib/http/sse.ts's; this file decides what to send and when.
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import type { Progress } from "@/lib/core/ports";
import { type CandidateStatus, type Db, getRunLiveState, type LiveIteration, type RunStatus } from "@/lib/db";
import { sleep } from "@/lib/http/sse";
import { progressSnapshot, requireProjectRun } from "./run-reads";

/** `progress` event: the run's status, last progress snapshot and running totals. */
export interface RunProgressEvent {
  status: RunStatus;
  progress: Progress | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface RunIterationCandidate {
  index: number;
  status: CandidateStatus;
  trainScore: number | null;
  validationScore: number | null;
  gainLow: number | null;
  gainHigh: number | null;
  accepted: boolean;
}

/** `iteration` event (id = String(index + 1)): a finished iteration and its candidates (no prompts). */
export interface RunIterationEvent {
  index: number;
  incumbentScore: number;
  accepted: boolean;
  acceptedCandidate: number | null;
  summary: unknown;
  candidates: RunIterationCandidate[];
}

/** `end` event (id "end"): how the run finished. */
export interface RunEndEvent {
  status: RunStatus;
  error: string | null;
  failedStep: string | null;
}

export type RunEvent =
  | { event: "progress"; data: RunProgressEvent }
  | { event: "iteration"; id: string; data: RunIterationEvent }
  | { event: "end"; id: "end"; data: RunEndEvent };

export const RUN_EVENT_POLL_MS = 500;

const TERMINAL = new Set<RunStatus>(["succeeded", "failed", "cancelled"]);

/**
 * The Last-Event-ID a client sent: an iteration event's id (the stream resumes after it), "end", or
 * nothing. Anything else is a 400 naming where it came from.
 */
export function parseLastEventId(value: string | null | undefined, from: string): number | "end" | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const v = value.trim();
  if (v === "end") return "end";
  if (/^\d{1,9}$/.test(v)) return Number(v);
  throw new InputError(`Invalid ${from}: not an event id this stream sent (an iteration number or end)`, {
    issues: [{ in: "query", path: "lastEventId", message: "not an event id this stream sent" }],
  });
}

function iterationEvent(iteration: LiveIteration): RunEvent {
  return {
    event: "iteration",
    id: String(iteration.index + 1),
    data: {
      index: iteration.index,
      incumbentScore: iteration.incumbentScore,
      accepted: iteration.accepted,
      acceptedCandidate: iteration.acceptedCandidate,
      summary: iteration.summary,
      candidates: iteration.candidates.map((c) => ({
        index: c.index,
        status: c.status,
        trainScore: c.trainScore,
        validationScore: c.validationScore,
        gainLow: c.gainLow,
        gainHigh: c.gainHigh,
        accepted: c.accepted,
      })),
    },
  };
}

export interface RunEventsOptions {
  /** The client's Last-Event-ID (parsed with `parseLastEventId`). */
  lastEventId?: number | "end" | null;
  pollMs?: number;
}

/**
 * The events of run `runId`, polled from the database until the run finished (then `end`) or `signal`
 * aborts (the client went away). With Last-Event-ID "end", a finished run sends `end` alone.
 */
export async function* pollRunEvents(
  db: Db,
  runId: string,
  signal: AbortSignal,
  options: RunEventsOptions = {},
): AsyncGenerator<RunEvent> {
  const last = options.lastEventId ?? null;
  // The next iteration index to send: the one after the client's last (id k is iteration index k-1).
  let nextIteration = last === "end" ? 2_147_483_647 : (last ?? 0);
  let lastProgress: string | null = null;
  while (!signal.aborted) {
    const state = await getRunLiveState(db, runId, nextIteration);
    if (!state || signal.aborted) return; // deleted meanwhile, or the client left
    const terminal = TERMINAL.has(state.status);
    if (!(last === "end" && terminal)) {
      const progress: RunProgressEvent = {
        status: state.status,
        progress: progressSnapshot(state.progress),
        calls: state.calls,
        inputTokens: state.inputTokens,
        outputTokens: state.outputTokens,
        costUsd: state.costUsd,
      };
      const key = JSON.stringify(progress);
      if (key !== lastProgress) yield { event: "progress", data: progress };
      lastProgress = key;
      for (const iteration of state.iterations) {
        yield iterationEvent(iteration);
        nextIteration = iteration.index + 1;
      }
    }
    if (terminal) {
      yield {
        event: "end",
        id: "end",
        data: { status: state.status, error: state.error, failedStep: state.failedStep },
      };
      return;
    }
    await sleep(options.pollMs ?? RUN_EVENT_POLL_MS, signal);
  }
}

/**
 * The event source of a run of the project (GET …/runs/{run}/events): checks the run first (404 for a
 * run of another project, before any stream opens), then gives what `sseResponse` streams.
 */
export async function runEventSource(
  db: Db,
  access: ProjectAccess,
  runId: string,
  options: RunEventsOptions = {},
): Promise<(signal: AbortSignal) => AsyncGenerator<RunEvent>> {
  await requireProjectRun(db, access, runId);
  return (signal) => pollRunEvents(db, runId, signal, options);
}
