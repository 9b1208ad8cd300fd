// Every schedule the app runs: the Inngest cron functions (inngest/functions) and the embedded runner's
// timers (instrumentation.ts) are derived from this list. A new schedule is one file in this folder plus
// one line here.
import type { AnySchedule } from "@/lib/runner/schedule";
import { experimentAnalysisSchedule } from "./experiment-analysis";
import { feedbackProposalSchedule } from "./feedback-proposals";

export const schedules: readonly AnySchedule[] = [experimentAnalysisSchedule, feedbackProposalSchedule];
