// When analyses happen: "Analyze now" (a person), and on a schedule — an Inngest cron function, or on
// the embedded runner a timer in the app process — every STROP_EXPERIMENT_ANALYSIS_MINUTES (default 15)
// for each running experiment that has no analysis in flight and none finished within the interval
// (so several app instances on one database do not analyze twice).
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError } from "@/lib/core/errors";
import {
  type AuditActor,
  type Db,
  getDb,
  hasRecentAnalysis,
  listRunningExperimentIds,
  queueAnalysis,
} from "@/lib/db";
import { activeRunner } from "@/lib/runner/runner-choice";
import { type HandOverOptions, handOverJob } from "../jobs";
import { experimentAnalysisJob } from "../jobs/experiment-analysis";
import { requireRole } from "../prompts/access";
import { requireExperiment } from "./manage";

type Env = Record<string, string | undefined>;

export const ANALYSIS_INTERVAL_ENV = "STROP_EXPERIMENT_ANALYSIS_MINUTES";

export function analysisIntervalMinutes(env: Env = process.env): number {
  const n = Number(env[ANALYSIS_INTERVAL_ENV]);
  return Number.isInteger(n) && n >= 1 && n <= 1440 ? n : 15;
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
  const due = now - analysisIntervalMinutes(env) * 60_000 + 5_000;
  const queued: string[] = [];
  for (const experiment of await listRunningExperimentIds(db)) {
    if (await hasRecentAnalysis(db, experiment.id, new Date(due))) continue;
    queued.push(
      await queueAndHandOver(db, experiment.id, "schedule", {
        dispatch: options.dispatch,
        runner: options.runner,
        env,
      }),
    );
  }
  return queued;
}

const TIMER = Symbol.for("strop.experiment-analysis-timer");
type WithTimer = typeof globalThis & { [TIMER]?: ReturnType<typeof setInterval> };

/**
 * With the embedded runner (instrumentation.ts): the schedule as a timer in this process. Null with
 * Inngest, whose cron function (inngest/functions/experiment-analysis-schedule.ts) does it.
 */
export function startExperimentAnalysisTimer(
  options: { env?: Env; db?: () => Promise<Db> } = {},
): { stop(): void } | null {
  const env = options.env ?? process.env;
  if (activeRunner(env) !== "embedded") return null;
  const global = globalThis as WithTimer;
  if (global[TIMER]) clearInterval(global[TIMER]);
  const openDb = options.db ?? getDb;
  const timer = setInterval(() => {
    openDb()
      .then((db) => scheduleExperimentAnalyses(db, env))
      .catch((error) =>
        console.error("[strop experiments] scheduled analysis failed:", (error as Error).message),
      );
  }, analysisIntervalMinutes(env) * 60_000);
  timer.unref?.();
  global[TIMER] = timer;
  return {
    stop() {
      clearInterval(timer);
      if (global[TIMER] === timer) global[TIMER] = undefined;
    },
  };
}
