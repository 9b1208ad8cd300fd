// lib/runner: the job engine. Kinds of durable jobs describe themselves (job-kind.ts; the kinds live in
// lib/services/jobs); the engine dispatches, cancels, leases, takes over and streams them, on the
// embedded runner or on Inngest. Nothing here imports lib/services or inngest/.
export { createDbStepRunner, jobStateSteps, withDbCheckpoints } from "./db-step-runner";
export { EmbeddedRunner, maxConcurrentRuns, type RunExecutor } from "./embedded";
export {
  cancelJob,
  dispatchJob,
  type EngineDeps,
  embeddedJobExecutor,
  embeddedSteps,
  type JobPoller,
  type KindResumed,
  startJobPoller,
  takeOverUnfinishedJobs,
} from "./engine";
export { type GuardedStepRunner, guardSteps, isRunCancelled, RunCancelledError } from "./guard";
export {
  JOB_EVENT_POLL_MS,
  type JobEventsOptions,
  type JobStreamEvent,
  type LastEventId,
  parseLastEventId,
  pollJobEvents,
} from "./job-events";
export { executeJob, type JobExecution } from "./job-execution";
export * from "./job-kind";
export { LeaseLostError, type LeaseSettings, leaseSettings, processHolder, withJobLease } from "./lease";
export {
  activeRunner,
  embeddedRunner,
  existingEmbeddedRunner,
  type RunnerName,
  stoppedHere,
} from "./runner-choice";
