// The Inngest function of a schedule, derived from its definition (lib/runner/schedule.ts): a cron every
// interval (from the schedule's environment setting), one tick at a time across the app, the tick as one
// memoized step. The embedded runner derives its timer from the same definition.
import type { Inngest } from "inngest";
import type { JobTarget } from "@/lib/runner/job-kind";
import { type AnySchedule, scheduleCron } from "@/lib/runner/schedule";
import { type Db, getDb } from "@/lib/services/database";

type Env = Record<string, string | undefined>;

/** The cron function of `schedule` (`options.db`, `env` and `dispatch` for tests). */
export function createScheduleFunction(
  client: Inngest.Any,
  schedule: AnySchedule,
  options: { db?: () => Promise<Db>; env?: Env; dispatch?: (target: JobTarget) => Promise<void> } = {},
) {
  const env = options.env ?? process.env;
  const openDb = options.db ?? getDb;
  return client.createFunction(
    {
      id: schedule.id,
      name: schedule.name,
      triggers: [{ cron: scheduleCron(schedule, env) }],
      // One tick at a time across the app.
      concurrency: [{ limit: 1 }],
      retries: 2,
    },
    async ({ step }) =>
      step.run(schedule.stepId, async () =>
        schedule.tick(await openDb(), { env, dispatch: options.dispatch }),
      ),
  );
}
