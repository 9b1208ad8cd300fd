// Scores of prompt versions, from the runs that evaluated them: a succeeded evaluation scores its prompt
// on the whole dataset; a succeeded optimization scores its baseline and its winner on the held-out test
// split. Newest run first.
import type { VersionEvaluation } from "@/lib/validation/prompt-compare";
import type { StoredRunConfig } from "@/lib/validation/runs";
import { runConfigDocument } from "@/lib/validation/stored-state";
import type { Db } from "../client";
import { readRunKind, readRunReport } from "../runs/records";

export type { VersionEvaluation };

/** How many of a task's newest succeeded runs are looked at (enough for any page; bounded). */
const RUNS_LOOKED_AT = 500;

/** Every evaluation of the given versions by the task's succeeded runs, newest run first. */
export async function listVersionEvaluations(
  db: Db,
  taskId: string,
  versionIds: string[],
): Promise<(VersionEvaluation & { versionId: string })[]> {
  if (versionIds.length === 0) return [];
  const runs = await db.optimizationRun.findMany({
    where: {
      taskId,
      status: "succeeded",
      OR: [{ baselineVersionId: { in: versionIds } }, { bestVersionId: { in: versionIds } }],
    },
    orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
    take: RUNS_LOOKED_AT,
    select: {
      id: true,
      kind: true,
      report: true,
      baselineVersionId: true,
      bestVersionId: true,
      finishedAt: true,
      datasetVersion: { select: { id: true, version: true, dataset: { select: { name: true } } } },
    },
  });
  const evaluations: (VersionEvaluation & { versionId: string })[] = [];
  for (const run of runs) {
    const report = readRunReport(readRunKind(run.kind, run.id), run.report, run.id);
    if (!report) continue;
    const dataset = {
      versionId: run.datasetVersion.id,
      name: run.datasetVersion.dataset.name,
      version: run.datasetVersion.version,
    };
    const base = { runId: run.id, kind: report.kind, dataset, finishedAt: run.finishedAt };
    if (report.kind === "eval") {
      if (versionIds.includes(run.baselineVersionId))
        evaluations.push({
          ...base,
          versionId: run.baselineVersionId,
          role: "evaluated",
          split: "all",
          score: report.score,
          metrics: report.metrics,
        });
      continue;
    }
    if (versionIds.includes(run.baselineVersionId))
      evaluations.push({
        ...base,
        versionId: run.baselineVersionId,
        role: "baseline",
        split: "test",
        score: report.test.baseline,
        metrics: null,
      });
    if (
      run.bestVersionId &&
      run.bestVersionId !== run.baselineVersionId &&
      versionIds.includes(run.bestVersionId)
    )
      evaluations.push({
        ...base,
        versionId: run.bestVersionId,
        role: "winner",
        split: "test",
        score: report.test.best,
        metrics: null,
      });
  }
  return evaluations;
}

/** Each version's newest evaluation (absent: never evaluated). */
export async function latestVersionEvaluations(
  db: Db,
  taskId: string,
  versionIds: string[],
): Promise<Map<string, VersionEvaluation>> {
  const latest = new Map<string, VersionEvaluation>();
  for (const { versionId, ...evaluation } of await listVersionEvaluations(db, taskId, versionIds)) {
    if (!latest.has(versionId)) latest.set(versionId, evaluation);
  }
  return latest;
}

/** True when `runId` is a run of the task (a label change may cite it as its evidence). */
export async function isRunOfTask(db: Db, taskId: string, runId: string): Promise<boolean> {
  const run = await db.optimizationRun.findUnique({ where: { id: runId }, select: { taskId: true } });
  return run?.taskId === taskId;
}

/** The newest run (any kind or status) that started from or produced the version: its config and data. */
export async function newestRunOfVersion(
  db: Db,
  taskId: string,
  versionId: string,
): Promise<{ runId: string; config: StoredRunConfig; datasetName: string } | null> {
  const run = await db.optimizationRun.findFirst({
    where: { taskId, OR: [{ baselineVersionId: versionId }, { bestVersionId: versionId }] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, config: true, datasetVersion: { select: { dataset: { select: { name: true } } } } },
  });
  if (!run) return null;
  return {
    runId: run.id,
    config: runConfigDocument.read(run.config, `run ${run.id}: config`),
    datasetName: run.datasetVersion.dataset.name,
  };
}
