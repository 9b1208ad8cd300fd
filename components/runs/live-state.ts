// What the live run page knows about a run while it executes: the shapes of the server-sent events of
// GET /api/v1/projects/{p}/runs/{id}/events, the chart's per-iteration data, and the pure arithmetic
// behind the progress bars (which of the 5 steps, how far overall, how long still).
import type { Progress } from "@/lib/core/ports";
import type {
  RunEndEvent,
  RunIterationCandidate,
  RunIterationEvent,
  RunProgressEvent,
} from "@/lib/services/run-events";
import type { RunCandidate, RunIteration, RunKind, RunStatus, StoredRunConfig } from "@/lib/validation/runs";

/** `progress` event: the latest snapshot (null before the first) and the run's totals. */
export type ProgressEventData = RunProgressEvent;
/** `iteration` event: one finished iteration with its candidates (no prompts). */
export type LiveIteration = RunIterationEvent;
export type LiveCandidate = RunIterationCandidate;
/** `end` event: how the run finished. */
export type EndEventData = RunEndEvent;

export const ACTIVE_STATUSES: readonly RunStatus[] = ["queued", "running"];
export const isActive = (status: RunStatus) => ACTIVE_STATUSES.includes(status);

/** The stored iterations and candidates of a run in the shape the events carry. */
export function liveIterations(iterations: RunIteration[], candidates: RunCandidate[]): LiveIteration[] {
  return iterations.map((it) => ({
    index: it.index,
    incumbentScore: it.incumbentScore,
    accepted: it.accepted,
    acceptedCandidate: it.acceptedCandidate,
    summary: it.summary,
    candidates: candidates
      .filter((c) => c.iteration === it.index)
      .map((c) => ({
        index: c.index,
        status: c.status,
        trainScore: c.trainScore,
        validationScore: c.validationScore,
        gainLow: c.gainLow,
        gainHigh: c.gainHigh,
        accepted: c.accepted,
      })),
  }));
}

/** Adds or replaces iterations by index, sorted. */
export function mergeIterations(known: LiveIteration[], incoming: LiveIteration[]): LiveIteration[] {
  const byIndex = new Map(known.map((it) => [it.index, it]));
  for (const it of incoming) byIndex.set(it.index, it);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** The 5 steps of one iteration, as lib/core/workflow.ts names them in progress snapshots. */
export const ITERATION_STEPS = [
  { step: "primary inference", label: "Primary inference", detail: "the incumbent on the training examples" },
  { step: "baseline evaluation", label: "Baseline evaluation", detail: "the incumbent on validation" },
  { step: "optimizer", label: "Propose", detail: "the optimizer model writes K candidates" },
  {
    step: "refined inference",
    label: "Refined inference",
    detail: "each candidate on the training examples",
  },
  {
    step: "comparative evaluation",
    label: "Comparative evaluation",
    detail: "the best candidates against the incumbent on validation",
  },
] as const;

const FINAL_STEPS = ["final test: baseline", "final test: best"];

/** Where a snapshot is: one of the 5 iteration steps, the final held-out test, or elsewhere. */
export function stepPosition(
  step: string | undefined,
): { phase: "iteration"; index: number } | { phase: "final"; index: number } | { phase: "other" } {
  if (!step) return { phase: "other" };
  const index = ITERATION_STEPS.findIndex((s) => s.step === step);
  if (index >= 0) return { phase: "iteration", index };
  const final = FINAL_STEPS.indexOf(step);
  if (final >= 0) return { phase: "final", index: final };
  return { phase: "other" };
}

/**
 * An estimate of the whole run's progress in [0, 1]: each of at most `maxIterations` iterations and the
 * final test count as one part; within an iteration each of the 5 steps is a fifth. Runs that stop early
 * (patience, target, budget) jump ahead to the final test. Eval runs: the one evaluation step.
 */
export function overallFraction(
  kind: RunKind,
  status: RunStatus,
  progress: Pick<Progress, "step" | "iteration" | "done" | "total"> | null,
  maxIterations: number,
): number {
  if (status === "succeeded") return 1;
  if (!progress) return 0;
  const within = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  if (kind === "eval") return progress.step === "evaluation" ? within : 0;
  const parts = Math.max(1, maxIterations) + 1;
  const position = stepPosition(progress.step);
  if (position.phase === "iteration") {
    const iteration = Math.min(Math.max(progress.iteration, 1), parts - 1);
    return (iteration - 1 + (position.index + within) / ITERATION_STEPS.length) / parts;
  }
  if (position.phase === "final") return (parts - 1 + (position.index + within) / FINAL_STEPS.length) / parts;
  return 0;
}

/**
 * What a cancelled or failed run did before it stopped, in one sentence: where it stopped and how many
 * iterations it finished (the step list and the totals beside it say the rest).
 */
export function endedEarlyText(
  status: RunStatus,
  progress: Pick<Progress, "step" | "iteration"> | null,
  finishedIterations: number,
): string {
  const verb = status === "cancelled" ? "was cancelled" : "failed";
  const position = stepPosition(progress?.step);
  const finished = `${finishedIterations} iteration${finishedIterations === 1 ? "" : "s"} finished`;
  let where = "before its first step";
  if (position.phase === "iteration") {
    const step = ITERATION_STEPS[position.index];
    where = `during iteration ${progress?.iteration ?? 1}, at step ${position.index + 1} (${step?.label.toLowerCase()})`;
  } else if (position.phase === "final") {
    where = "during the held-out test, after the last iteration";
  } else if (progress?.step && progress.step !== "starting") {
    where = `at ${progress.step}`;
  }
  return `The run ${verb} ${where}; ${finished}. No held-out test result: the report needs a finished run.`;
}

/** Time left for the whole run, projected from its pace so far; null until there is a pace. */
export function overallEtaMs(fraction: number, elapsedMs: number): number | null {
  if (fraction <= 0.02 || fraction >= 1 || elapsedMs <= 0) return null;
  return Math.round((elapsedMs / fraction) * (1 - fraction));
}

/** The run's `stop.maxIterations` from its stored config. */
export function maxIterationsOf(config: StoredRunConfig): number {
  return config.stop.maxIterations;
}

/** The run's K (candidates per iteration) from its stored config. */
export function candidatesPerIterationOf(config: StoredRunConfig): number {
  return config.optimizer.candidates;
}
