// One experiment analysis as a durable job: step "analyze" computes and stores the snapshot (and the
// bandit weights), step "decide/stop" ends the experiment when the rule decided — on a winner queuing its
// promotion in the same transaction — and step "decide/promote" hands that promotion to the active
// runner as a job of its own (`experiment-promotion`, promotion-job.ts). Every step is safe to replay:
// the snapshot is stored once, a stop of a stopped experiment does nothing, and a promotion that is no
// longer queued is not handed over again.
import { ConflictError } from "@/lib/core/errors";
import type { StepRunner } from "@/lib/core/ports";
import {
  type AnalysisJobRecord,
  type Db,
  getAnalysisJob,
  getExperiment,
  getProjectById,
  getPromotionJob,
  listUnfinishedAnalyses,
  moveAnalysis,
  storeAnalysisResult,
} from "@/lib/db";
import { dispatchJob } from "@/lib/runner/engine";
import type { GuardedStepRunner } from "@/lib/runner/guard";
import { executeJob } from "@/lib/runner/job-execution";
import {
  type ExecuteJobOptions,
  isTerminalJobStatus,
  type JobOutcome,
  type JobStore,
} from "@/lib/runner/job-kind";
import { activeRunner } from "@/lib/runner/runner-choice";
import { ACTIVE_JOB_STATUSES, statusColumnStore } from "@/lib/runner/status-store";
import { experimentPromotionJob } from "../jobs/experiment-promotion";
import { runningExperimentsChanged } from "./active-cache";
import { changeProjectExperiment } from "./manage";
import { experimentActor, systemAccess } from "./promotion";
import { promotionTarget } from "./promotion-job";
import { computeAnalysis } from "./statistics";

export const ANALYSIS_STEPS = { analyze: "analyze", stop: "decide/stop", promote: "decide/promote" } as const;

export interface AnalysisOutcome extends JobOutcome {
  decision: string | null;
}

export const analysisStore: JobStore = statusColumnStore({
  noun: "analysis",
  status: async (db, id) => (await getAnalysisJob(db, id))?.status ?? null,
  move: moveAnalysis,
  listUnfinished: listUnfinishedAnalyses,
  async target(db, id) {
    const job = await getAnalysisJob(db, id);
    return job && { id, projectId: job.projectId, provider: "none" };
  },
});

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
    await moveAnalysis(db, job.id, ACTIVE_JOB_STATUSES, { status: "succeeded" });
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
        {
          decision: snapshot.decision,
          reason: snapshot.reason,
          winnerVariantId: winner?.id ?? null,
          promote: winner !== null && winner !== undefined,
        },
      );
    } catch (error) {
      if (error instanceof ConflictError) return { stopped: false };
      throw error;
    }
    return { stopped: true };
  });
  if (result.winner !== null) {
    await steps.run(ANALYSIS_STEPS.promote, async () => {
      // Queued by this decision's stop (a stop by hand queues none); handed over while still queued.
      const promotion = await getPromotionJob(db, job.experimentId);
      if (promotion?.promotion.status !== "queued") return { handedOver: false };
      // Not handOverJob: a runner that cannot be reached fails this step (retried, resumable) and
      // leaves the promotion queued, where the embedded runner's poller also finds it.
      await dispatchJob(experimentPromotionJob, db, promotionTarget(promotion), activeRunner());
      return { handedOver: true };
    });
  }
  await moveAnalysis(db, job.id, ACTIVE_JOB_STATUSES, { status: "succeeded" });
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
