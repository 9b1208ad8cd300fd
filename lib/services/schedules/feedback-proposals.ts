// The negative-feedback check: every STROP_FEEDBACK_CHECK_MINUTES (default 60) it looks at each project
// with alerts on and opens a proposal for each version whose negative feedback passes the project's
// threshold (../feedback-proposals/check.ts). Idempotent: one open proposal per version and name.
import { listAlertProjects } from "@/lib/db";
import type { ScheduleDefinition } from "@/lib/runner/schedule";
import { checkProjectFeedback, FEEDBACK_CHECK_INTERVAL } from "../feedback-proposals/check";

export const feedbackProposalSchedule: ScheduleDefinition<{
  projects: number;
  opened: number;
  refreshed: number;
}> = {
  id: "feedback-proposals",
  name: "Negative-feedback check",
  stepId: "check-projects",
  interval: FEEDBACK_CHECK_INTERVAL,
  async tick(db) {
    const summary = { projects: 0, opened: 0, refreshed: 0 };
    for (const project of await listAlertProjects(db)) {
      const result = await checkProjectFeedback(db, project);
      summary.projects += 1;
      summary.opened += result.opened;
      summary.refreshed += result.refreshed;
    }
    return summary;
  },
};
