// One experiment analysis as a durable job: step "analyze" computes and stores the snapshot (and the
// bandit weights), step "decide/stop" ends the experiment when the rule decided, step
// "decide/promote" moves the label to the winner (or requests it). Every step is safe to replay: the
// snapshot is stored once, a stop of a stopped experiment and a second promotion do nothing.
import { ConflictError } from "@/lib/core/errors";
import type { StepRunner } from "@/lib/core/ports";
import {
  type AnalysisJobRecord,
  type Db,
  getAnalysisJob,
  getExperiment,
  getProjectById,
  listUnfinishedAnalyses,
  moveAnalysis,
  setExperimentPromotion,
  storeAnalysisResult,
} from "@/lib/db";
import type { GuardedStepRunner } from "@/lib/runner/guard";
import { executeJob } from "@/lib/runner/job-execution";
import {
  type ExecuteJobOptions,
  isTerminalJobStatus,
  type JobOutcome,
  type JobStore,
} from "@/lib/runner/job-kind";
import { runningExperimentsChanged } from "./active-cache";
import { changeProjectExperiment } from "./manage";
import { experimentActor, promoteWinner, systemAccess } from "./promotion";
import { computeAnalysis } from "./statistics";

export const ANALYSIS_STEPS = { analyze: "analyze", stop: "decide/stop", promote: "decide/promote" } as const;

export interface AnalysisOutcome extends JobOutcome {
  decision: string | null;
}

const ACTIVE = ["queued", "running"] as const;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

export const analysisStore: JobStore = {
  status: async (db, id) => (await getAnalysisJob(db, id))?.status ?? null,
  claim: (db, id) => moveAnalysis(db, id, [...ACTIVE], { status: "running" }),
  markCancelled: (db, id) => moveAnalysis(db, id, [...ACTIVE], { status: "cancelled" }),
  async markFailed(db, id, error, failedStep) {
    await moveAnalysis(db, id, [...ACTIVE], { status: "failed", error: message(error), failedStep });
  },
  // Analyses are the app's (the schedule's or a person's): every unfinished one continues on its own.
  listUnfinished: async (db) =>
    (await listUnfinishedAnalyses(db)).map((row) => ({ id: row.id, origin: "app" })),
  async reopen(db, id) {
    const job = await getAnalysisJob(db, id);
    if (!job) return { outcome: "missing" };
    if (job.status !== "failed" && job.status !== "cancelled")
      return { outcome: "not-resumable", from: job.status };
    const from = job.status;
    const moved = await moveAnalysis(db, id, [from], { status: "queued", error: null, failedStep: null });
    return moved ? { outcome: "reopened", from } : { outcome: "not-resumable", from: "queued" };
  },
  async target(db, id) {
    const job = await getAnalysisJob(db, id);
    return job && { id, projectId: job.projectId, provider: "none" };
  },
};

async function storedOutcome(db: Db, id: string): Promise<AnalysisOutcome> {
  const job = await getAnalysisJob(db, id);
  return {
    status: job && isTerminalJobStatus(job.status) ? job.status : "interrupted",
    error: job?.error ?? null,
    failedStep: job?.failedStep ?? null,
    decision: job?.snapshot?.decision ?? null,
  };
}

async function runAnalysis(
  db: Db,
  job: AnalysisJobRecord,
  steps: GuardedStepRunner,
): Promise<AnalysisOutcome> {
  // Each step re-reads what it needs, so a step body run again (a resumed job) does the same thing.
  const result = await steps.run(ANALYSIS_STEPS.analyze, async () => {
    const stored = (await getAnalysisJob(db, job.id))?.snapshot;
    if (stored) return { decision: stored.decision, winner: stored.winner };
    const record = await getExperiment(db, job.projectId, job.experimentId);
    if (!record) throw new Error(`experiment ${job.experimentId} is gone`);
    const computed = await computeAnalysis(db, record, job.id);
    await storeAnalysisResult(db, job, computed.snapshot, computed.banditWeights);
    // New bandit weights: this instance's serving path takes them at once (others within the TTL).
    if (computed.banditWeights)
      runningExperimentsChanged({ projectId: job.projectId, taskName: record.taskName });
    return { decision: computed.snapshot.decision, winner: computed.snapshot.winner };
  });
  if (result.decision === "continue") {
    await moveAnalysis(db, job.id, [...ACTIVE], { status: "succeeded" });
    return storedOutcome(db, job.id);
  }
  await steps.run(ANALYSIS_STEPS.stop, async () => {
    const record = await getExperiment(db, job.projectId, job.experimentId);
    const snapshot = (await getAnalysisJob(db, job.id))?.snapshot;
    // Only a running experiment is ended by its analysis (a paused one waits for its people).
    if (!record || !snapshot || record.status !== "running") return { stopped: false };
    const winner = snapshot.winner === null ? null : record.variants[snapshot.winner];
    try {
      await changeProjectExperiment(
        db,
        await systemAccess(db, job.projectId),
        record.id,
        "stopped",
        experimentActor(record),
        { decision: snapshot.decision, reason: snapshot.reason, winnerVariantId: winner?.id ?? null },
      );
    } catch (error) {
      if (error instanceof ConflictError) return { stopped: false };
      throw error;
    }
    return { stopped: true };
  });
  const winner = result.winner;
  if (winner !== null) {
    await steps.run(ANALYSIS_STEPS.promote, async () => {
      const record = await getExperiment(db, job.projectId, job.experimentId);
      // Promoted once, and only what this decision stopped the experiment for (not a stop by hand).
      const decided = record?.status === "stopped" && record.winnerVariantId === record.variants[winner]?.id;
      if (!record || !decided || record.promotion !== null) return { promotion: record?.promotion ?? null };
      const promotion = await promoteWinner(db, record, winner, record.decisionReason ?? "");
      await setExperimentPromotion(db, record.id, promotion);
      return { promotion };
    });
  }
  await moveAnalysis(db, job.id, [...ACTIVE], { status: "succeeded" });
  return storedOutcome(db, job.id);
}

export function executeExperimentAnalysis(
  db: Db,
  id: string,
  steps: StepRunner,
  signal?: AbortSignal,
  options?: ExecuteJobOptions,
): Promise<AnalysisOutcome> {
  return executeJob({
    noun: "experiment analysis",
    store: analysisStore,
    db,
    id,
    steps,
    signal,
    cancelPollMs: options?.cancelPollMs,
    async prepare() {
      const job = await getAnalysisJob(db, id);
      if (!job) throw new Error(`no experiment analysis ${id}`);
      if (!(await getProjectById(db, job.projectId))) throw new Error(`project ${job.projectId} is gone`);
      return job;
    },
    run: (job, guarded) => runAnalysis(db, job, guarded),
    storedOutcome: () => storedOutcome(db, id),
  });
}
