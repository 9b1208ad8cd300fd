// Reading a project's runs for the dashboard: the list (with each run's headline score) and one run with
// its iterations, candidates, report and the versions it refers to. Read-only: starting, cancelling and
// live progress live in ./runs.ts.
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import type { OptimizationReport } from "@/lib/core/report";
import type { Interval } from "@/lib/core/types";
import {
  type Db,
  getRun,
  getRunReferences,
  type Page,
  type PageCursor,
  pageProjectRuns,
  type RunDetail,
  type RunKind,
  type RunListItem,
  type RunReferences,
} from "@/lib/db";

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

export interface RunSummary extends Omit<RunListItem, "report"> {
  score: RunScore | null;
}

export function runSummary(run: RunListItem): RunSummary {
  const { report, ...rest } = run;
  return { ...rest, score: runScore(run.kind, report) };
}

export async function listProjectRuns(
  db: Db,
  access: ProjectAccess,
  query: { cursor?: PageCursor | null; limit: number },
): Promise<Page<RunSummary>> {
  const page = await pageProjectRuns(db, access.project.id, query);
  return { items: page.items.map(runSummary), next: page.next };
}

export interface ProjectRunDetail extends RunDetail {
  score: RunScore | null;
  references: RunReferences;
}

/** One run of the project with everything it recorded (404 for a run of another project). */
export async function getProjectRun(db: Db, access: ProjectAccess, runId: string): Promise<ProjectRunDetail> {
  const run = await getRun(db, runId);
  if (!run || run.projectId !== access.project.id)
    throw new NotFoundError(`no run "${runId}" in this project`);
  const references = await getRunReferences(db, runId);
  if (!references) throw new NotFoundError(`no run "${runId}" in this project`);
  return { ...run, score: runScore(run.kind, run.report), references };
}
