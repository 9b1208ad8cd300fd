// Every Inngest function the app serves (app/api/inngest/route.ts): one per registered job kind, plus
// the experiment-analysis schedule (a cron).
import { inngest } from "@/lib/runner/inngest-transport";
import { jobKinds } from "@/lib/services/jobs/registry";
import { createExperimentAnalysisSchedule } from "./experiment-analysis-schedule";
import { createJobFunction } from "./job-function";

export const functions = [
  ...jobKinds.map((kind) => createJobFunction(inngest, kind)),
  createExperimentAnalysisSchedule(inngest),
];

/** The function of the kind with Inngest function id `functionId` ("optimize-run", "batch-run"). */
export function functionOf(functionId: string) {
  const fn = functions.find((f) => f.id() === functionId);
  if (!fn) throw new Error(`no Inngest function "${functionId}"`);
  return fn;
}
