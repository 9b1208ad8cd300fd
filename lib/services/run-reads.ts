// Reading a project's runs for the dashboard and the Runs API: the list (with each run's headline score
// and progress) and one run with its iterations, candidates, report, the versions it refers to, where it
// runs and whether its winner can be (or was) saved. Read-only: starting, cancelling and saving the
// winner live in ./runs.ts, per-example results in ./run-results.ts, live events in ./run-events.ts.
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import type { Progress } from "@/lib/core/ports";
import type { OptimizationReport } from "@/lib/core/report";
import type { Interval } from "@/lib/core/types";
import {
  type Db,
  getRun,
  getRunReferences,
  getSavedWinnerVersion,
  type Page,
  type PageCursor,
  pageProjectRuns,
  type RunDetail,
  type RunKind,
  type RunListFilter,
  type RunListItem,
  type RunRecord,
  type RunReferences,
} from "@/lib/db";
import { activeRunner, type RunnerName } from "@/lib/runner/index";
import { runOrigin } from "@/lib/validation/runs";

/** A run's headline score: held-out baseline vs final (optimize) or the evaluated score (eval). */
export type RunScore =
  | { kind: "optimize"; baseline: Interval; best: Interval; gain: Interval; complete: boolean }
  | { kind: "eval"; score: Interval };

const isInterval = (value: unknown): value is Interval => {
  const v = value as Partial<Interval> | null;
  return (
    !!v &&
    typeof v.mean === "number" &&
    typeof v.low === "number" &&
    typeof v.high === "number" &&
    typeof v.n === "number"
  );
};

/** The score a stored report holds, or null (no report yet, or not a shape this version knows). */
export function runScore(kind: RunKind, report: unknown): RunScore | null {
  if (!report || typeof report !== "object") return null;
  if (kind === "optimize") {
    const test = (report as Partial<OptimizationReport>).test;
    if (test && isInterval(test.baseline) && isInterval(test.best) && isInterval(test.gain))
      return {
        kind,
        baseline: test.baseline,
        best: test.best,
        gain: test.gain,
        complete: test.complete !== false,
      };
    return null;
  }
  const score = (report as { score?: unknown }).score;
  return isInterval(score) ? { kind: "eval", score } : null;
}

/** A stored progress snapshot (JSON) as `Progress`, missing numbers as 0; null when there is none. */
export function progressSnapshot(value: unknown): Progress | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const num = (key: string) =>
    typeof v[key] === "number" && Number.isFinite(v[key]) ? (v[key] as number) : 0;
  return {
    step: typeof v.step === "string" ? v.step : "",
    iteration: num("iteration"),
    done: num("done"),
    total: num("total"),
    calls: num("calls"),
    failedCalls: num("failedCalls"),
    inputTokens: num("inputTokens"),
    outputTokens: num("outputTokens"),
    costUsd: num("costUsd"),
    elapsedMs: num("elapsedMs"),
    etaMs: typeof v.etaMs === "number" ? v.etaMs : null,
  };
}

export interface RunSummary extends Omit<RunListItem, "report" | "progress"> {
  score: RunScore | null;
  /** The last progress snapshot; null before the first one. */
  progress: Progress | null;
}

export function runSummary(run: RunListItem): RunSummary {
  const { report, progress, ...rest } = run;
  return { ...rest, score: runScore(run.kind, report), progress: progressSnapshot(progress) };
}

export type { RunListFilter };

/** A page of the project's runs, newest first; optionally only one status, kind or task (by name). */
export async function listProjectRuns(
  db: Db,
  access: ProjectAccess,
  query: { cursor?: PageCursor | null; limit: number } & RunListFilter,
): Promise<Page<RunSummary>> {
  const page = await pageProjectRuns(db, access.project.id, query);
  return { items: page.items.map(runSummary), next: page.next };
}

/** Where a run executes: the CLI process that started it, or the app's active runner. */
export type RunExecutor = RunnerName | "cli";

/**
 * The run's winner: `available` when the run succeeded and its best prompt beat the baseline; `saved`
 * (with its version number) once it is a prompt version — CLI runs save it themselves, API runs when a
 * user saves it (POST …/runs/{run}/winner).
 */
export interface RunWinnerState {
  saved: boolean;
  version: number | null;
  available: boolean;
}

export interface ProjectRunDetail extends Omit<RunDetail, "progress"> {
  score: RunScore | null;
  references: RunReferences;
  progress: Progress | null;
  runner: RunExecutor;
  winner: RunWinnerState;
}

/** Whether the report of a run names a best prompt that beat the baseline. */
export function hasWinner(run: Pick<RunRecord, "kind" | "status" | "report">): boolean {
  if (run.kind !== "optimize" || run.status !== "succeeded") return false;
  const report = run.report as Partial<OptimizationReport> | null;
  return !!report?.bestOrigin && !!report.best;
}

export function runExecutor(run: Pick<RunRecord, "config">, env = process.env): RunExecutor {
  const config = run.config as { origin?: "cli" | "api"; taskFile?: string };
  return runOrigin(config) === "cli" ? "cli" : activeRunner(env);
}

/** A run of the project, or a 404 (also for a run of another project). */
export async function requireProjectRun(db: Db, access: ProjectAccess, runId: string): Promise<RunDetail> {
  const run = await getRun(db, runId);
  if (!run || run.projectId !== access.project.id)
    throw new NotFoundError(`no run "${runId}" in this project`);
  return run;
}

/** One run of the project with everything it recorded (404 for a run of another project). */
export async function getProjectRun(db: Db, access: ProjectAccess, runId: string): Promise<ProjectRunDetail> {
  const run = await requireProjectRun(db, access, runId);
  const references = await getRunReferences(db, runId);
  if (!references) throw new NotFoundError(`no run "${runId}" in this project`);
  const savedVersion = await getSavedWinnerVersion(db, runId);
  return {
    ...run,
    progress: progressSnapshot(run.progress),
    score: runScore(run.kind, run.report),
    references,
    runner: runExecutor(run),
    winner: { saved: savedVersion !== null, version: savedVersion, available: hasWinner(run) },
  };
}
