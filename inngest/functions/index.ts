// Every Inngest function the app serves (app/api/inngest/route.ts): one per registered job kind, and one
// cron function per registered schedule.
import { inngest } from "@/lib/runner/inngest-transport";
import { jobKinds } from "@/lib/services/jobs/registry";
import { schedules } from "@/lib/services/schedules/registry";
import { createJobFunction } from "./job-function";
import { createScheduleFunction } from "./schedule-function";

export const functions = [
  ...jobKinds.map((kind) => createJobFunction(inngest, kind)),
  ...schedules.map((schedule) => createScheduleFunction(inngest, schedule)),
];

/** The function of the kind with Inngest function id `functionId` ("optimize-run", "batch-run"). */
export function functionOf(functionId: string) {
  const fn = functions.find((f) => f.id() === functionId);
  if (!fn) throw new Error(`no Inngest function "${functionId}"`);
  return fn;
}
