// Recurring work (lib/runner/schedule.ts): the registered schedules and their embedded timers.
import { type ScheduleTimerOptions, startScheduleTimer } from "@/lib/runner/schedule";
import { schedules } from "./registry";

export { experimentAnalysisSchedule } from "./experiment-analysis";
export { feedbackProposalSchedule } from "./feedback-proposals";
export { schedules } from "./registry";

/**
 * With the embedded runner (instrumentation.ts): one timer per registered schedule in this process;
 * the ids of those started (none with Inngest, whose cron functions tick instead).
 */
export function startScheduleTimers(options: ScheduleTimerOptions = {}): string[] {
  return schedules.filter((schedule) => startScheduleTimer(schedule, options) !== null).map((s) => s.id);
}
