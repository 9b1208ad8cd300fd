// Reading a project's runs for the dashboard and the Runs API: the list (with each run's headline score
// and progress) and one run with its iterations, candidates, report, the versions it refers to, where it
// runs and whether its winner can be (or was) saved. Read-only: starting, cancelling and saving the
// winner live in ./lifecycle.ts and ./create.ts, per-example results in ./results.ts. The shapes are
// the API's (lib/validation/runs.ts); lib/db hands out the stored state already typed.
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import { heldOutTest } from "@/lib/core/report";
import {
  type Db,
  getRun,
  getRunReferences,
  getSavedWinnerVersion,
  type Page,
  type PageCursor,
  pageProjectRuns,
  type RunDetail,
  type RunListFilter,
  type RunListItem,
  type RunRecord,
} from "@/lib/db";
import { activeRunner } from "@/lib/runner/index";
import type { RunReport } from "@/lib/validation/run-state";
import { type RunDetailView, type RunScore, type RunSummary, runOrigin } from "@/lib/validation/runs";

export type { RunListFilter, RunScore, RunSummary };

/**
 * A run's headline score: held-out baseline vs final (optimize) or the evaluated score (eval). When the
 * baseline was never beaten, the final prompt is the baseline: one prompt, one interval, no gain (the
 * final test scored it twice, and two bootstrap draws would show two intervals for the same prompt).
 */
export function runScore(report: RunReport | null): RunScore | null {
  if (!report) return null;
  if (report.kind === "eval") return { kind: "eval", score: report.score };
  const { baseline, best, gain, complete } = heldOutTest(report);
  return { kind: "optimize", baseline, best, gain, complete };
}

export function runSummary(run: RunListItem): RunSummary {
  const { report, ...rest } = run;
  return { ...rest, score: runScore(report) };
}

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
export type RunExecutor = RunDetailView["runner"];

/** One run as the API shows it, with the record fields the pages also use (project, config). */
export type ProjectRunDetail = RunDetail & RunDetailView;

/** Whether the report of a run names a best prompt that beat the baseline. */
export function hasWinner(run: Pick<RunRecord, "status" | "report">): boolean {
  return run.status === "succeeded" && run.report?.kind === "optimize" && run.report.bestOrigin !== null;
}

/** Where runs started in the app execute: the active runner (STROP_RUNNER, INNGEST_EVENT_KEY, INNGEST_DEV). */
export function appRunner(env = process.env): Exclude<RunExecutor, "cli"> {
  return activeRunner(env);
}

export function runExecutor(run: Pick<RunRecord, "config">, env = process.env): RunExecutor {
  return runOrigin(run.config) === "cli" ? "cli" : activeRunner(env);
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
    score: runScore(run.report),
    references,
    runner: runExecutor(run),
    winner: { saved: savedVersion !== null, version: savedVersion, available: hasWinner(run) },
  };
}
