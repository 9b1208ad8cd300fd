// The experiment-analysis schedule: every STROP_EXPERIMENT_ANALYSIS_MINUTES (default 15) it queues an
// analysis of each running experiment that is due; each analysis is then its own durable job
// (`experiment-analysis`). The queueing is idempotent per interval (../experiments/schedule.ts).
import type { ScheduleDefinition } from "@/lib/runner/schedule";
import { ANALYSIS_INTERVAL, scheduleExperimentAnalyses } from "../experiments/schedule";

export const experimentAnalysisSchedule: ScheduleDefinition<{ queued: number }> = {
  id: "experiment-analysis-schedule",
  name: "Experiment analysis schedule",
  stepId: "queue-due-analyses",
  interval: ANALYSIS_INTERVAL,
  async tick(db, { env, dispatch }) {
    const queued = await scheduleExperimentAnalyses(db, env, { dispatch });
    return { queued: queued.length };
  },
};
