// A run's live events (GET …/runs/{run}/events): the projection of a run into the job engine's generic
// stream (lib/runner/job-events.ts), which polls the database whichever runner executes the run:
//   progress  (no id)        on connect and whenever status, progress or totals change;
//   iteration (id index+1)   each finished iteration once; a reconnect with Last-Event-ID k resumes at
//                            iteration index k (the ones the client has are not sent again);
//   end       (id "end")     once the run is finished, then the stream closes.
import type { ProjectAccess } from "@/lib/auth/principal";
import type { Progress } from "@/lib/core/ports";
import {
  type CandidateStatus,
  type Db,
  getRunLiveState,
  type LiveIteration,
  type RunLiveState,
  type RunStatus,
} from "@/lib/db";
import { type JobEventsOptions, type JobStreamEvent, pollJobEvents } from "@/lib/runner/job-events";
import type { JobStreamProjection } from "@/lib/runner/job-kind";
import type { IterationSummary } from "@/lib/validation/run-state";
import { requireProjectRun } from "./runs/reads";

/** The one Last-Event-ID parser of every job stream (the route names where the value came from). */
export { parseLastEventId } from "@/lib/runner/job-events";

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
  summary: IterationSummary;
  candidates: RunIterationCandidate[];
}

/** `end` event (id "end"): how the run finished. */
export interface RunEndEvent {
  status: RunStatus;
  error: string | null;
  failedStep: string | null;
}

export type RunEvent = JobStreamEvent<RunProgressEvent, "iteration", RunIterationEvent, RunEndEvent>;

function iterationData(iteration: LiveIteration): RunIterationEvent {
  return {
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
  };
}

/** What a run's stream sends (item k is iteration index k-1). */
export const runStreamProjection: JobStreamProjection<
  RunLiveState,
  RunProgressEvent,
  RunIterationEvent,
  RunEndEvent,
  "iteration"
> = {
  read: (db, id, after) => getRunLiveState(db, id, after),
  progress: (state) => ({
    status: state.status,
    progress: state.progress,
    calls: state.calls,
    inputTokens: state.inputTokens,
    outputTokens: state.outputTokens,
    costUsd: state.costUsd,
  }),
  items: {
    event: "iteration",
    list: (state) => state.iterations.map((it) => ({ number: it.index + 1, data: iterationData(it) })),
  },
  end: (state) => ({ status: state.status, error: state.error, failedStep: state.failedStep }),
};

export type RunEventsOptions = JobEventsOptions;

/**
 * The events of run `runId`, polled from the database until the run finished (then `end`) or `signal`
 * aborts (the client went away). With Last-Event-ID "end", a finished run sends `end` alone.
 */
export function pollRunEvents(
  db: Db,
  runId: string,
  signal: AbortSignal,
  options: RunEventsOptions = {},
): AsyncGenerator<RunEvent> {
  return pollJobEvents(runStreamProjection, db, runId, signal, options);
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
