// The experiment-analysis schedule on Inngest: a cron function that, every
// STROP_EXPERIMENT_ANALYSIS_MINUTES (default 15), queues an analysis of each running experiment that is
// due; each analysis is then its own durable function run (`experiment-analysis`, derived from the job
// kind). One step: the queueing is idempotent per interval (lib/services/experiments/schedule.ts).
import type { Inngest } from "inngest";
import type { JobTarget } from "@/lib/runner/job-kind";
import { type Db, getDb } from "@/lib/services/database";
import { analysisIntervalMinutes, scheduleExperimentAnalyses } from "@/lib/services/experiments";

type Env = Record<string, string | undefined>;

export const SCHEDULE_FUNCTION_ID = "experiment-analysis-schedule";
export const QUEUE_STEP = "queue-due-analyses";

export function analysisCron(env: Env = process.env): string {
  return `*/${analysisIntervalMinutes(env)} * * * *`;
}

export function createExperimentAnalysisSchedule(
  client: Inngest.Any,
  options: { db?: () => Promise<Db>; env?: Env; dispatch?: (target: JobTarget) => Promise<void> } = {},
) {
  const env = options.env ?? process.env;
  const openDb = options.db ?? getDb;
  return client.createFunction(
    {
      id: SCHEDULE_FUNCTION_ID,
      name: "Experiment analysis schedule",
      triggers: [{ cron: analysisCron(env) }],
      // One schedule tick at a time across the app.
      concurrency: [{ limit: 1 }],
      retries: 2,
    },
    async ({ step }) => {
      const queued = await step.run(QUEUE_STEP, async () =>
        scheduleExperimentAnalyses(await openDb(), env, { dispatch: options.dispatch }),
      );
      return { queued: queued.length };
    },
  );
}
