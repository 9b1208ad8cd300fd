// When analyses happen: "Analyze now" (a person), and on a schedule (lib/services/schedules: an Inngest
// cron function, or on the embedded runner a timer in the app process) every
// STROP_EXPERIMENT_ANALYSIS_MINUTES (default 15) for each running experiment that has no analysis in
// flight and none finished within the interval (so several app instances on one database do not analyze
// twice).
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  hasRecentAnalysis,
  listRunningExperimentIds,
  queueAnalysis,
  queueScheduledAnalysis,
} from "@/lib/db";
import { intervalMinutes, type ScheduleInterval } from "@/lib/runner/schedule";
import { type HandOverOptions, handOverJob } from "../jobs";
import { experimentAnalysisJob } from "../jobs/experiment-analysis";
import { requireRole } from "../prompts/access";
import { requireExperiment } from "./manage";

type Env = Record<string, string | undefined>;

export const ANALYSIS_INTERVAL: ScheduleInterval = {
  env: "STROP_EXPERIMENT_ANALYSIS_MINUTES",
  defaultMinutes: 15,
};

export function analysisIntervalMinutes(env: Env = process.env): number {
  return intervalMinutes(ANALYSIS_INTERVAL, env);
}

async function queueAndHandOver(
  db: Db,
  experimentId: string,
  trigger: "schedule" | "manual",
  options: HandOverOptions = {},
) {
  const queued = await queueAnalysis(db, experimentId, trigger);
  const target = { id: queued.id, projectId: queued.projectId, provider: "none" };
  await handOverJob(experimentAnalysisJob, db, target, options);
  return queued.id;
}

/** "Analyze now": queues an analysis of the experiment (editors; it must have started). */
export async function analyzeExperimentNow(
  db: Db,
  access: ProjectAccess,
  id: string,
  actor: AuditActor,
): Promise<{ id: string; status: "queued" }> {
  await requireRole(db, access, actor, "editor", { operation: "analyze an experiment", target: id });
  const record = await requireExperiment(db, access, id);
  if (record.status === "draft")
    throw new ConflictError(`experiment "${record.name}" has not started: there is nothing to analyze yet`);
  return { id: await queueAndHandOver(db, id, "manual"), status: "queued" };
}

/** The schedule's work: an analysis for each running experiment that is due. Returns the analyses queued. */
export async function scheduleExperimentAnalyses(
  db: Db,
  env: Env = process.env,
  options: HandOverOptions & { now?: number } = {},
): Promise<string[]> {
  const now = options.now ?? Date.now();
  const intervalMs = analysisIntervalMinutes(env) * 60_000;
  const due = now - intervalMs + 5_000;
  const slot = Math.floor(now / intervalMs);
  const queued: string[] = [];
  for (const experiment of await listRunningExperimentIds(db)) {
    if (await hasRecentAnalysis(db, experiment.id, new Date(due))) continue;
    const analysis = await queueScheduledAnalysis(db, experiment.id, `${experiment.id}-s${slot}`);
    if (!analysis) continue;
    const target = { id: analysis.id, projectId: analysis.projectId, provider: "none" };
    try {
      await handOverJob(experimentAnalysisJob, db, target, {
        dispatch: options.dispatch,
        runner: options.runner,
        env,
      });
      queued.push(analysis.id);
    } catch (error) {
      // Recorded on the analysis (failed, resumable); the other experiments' analyses still go.
      console.error(`[strop] could not hand over the analysis of experiment ${experiment.id}:`, error);
    }
  }
  return queued;
}
