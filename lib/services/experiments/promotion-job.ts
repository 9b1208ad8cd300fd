// Promoting an experiment's winner as a durable job of its own (kind `experiment-promotion`), handed over
// by the analysis that stopped the experiment on a winner. Its record is the experiment's promotion
// (queued in the stop's transaction; lib/db/experiments/promotions.ts), its id the experiment's id: one
// promotion per decision. Steps: "check" re-reads the experiment (still stopped on that winner),
// "promote" moves the label or opens a change request for a protected one (safe to run again), "record"
// stores what happened; then the job is settled. A finished promotion is never run again, so a second
// hand-over of the same decision does nothing.
import type { StepRunner } from "@/lib/core/ports";
import {
  type Db,
  getExperiment,
  getProjectById,
  getPromotionJob,
  listUnfinishedPromotions,
  movePromotion,
  type PromotionJobRecord,
} from "@/lib/db";
import type { GuardedStepRunner } from "@/lib/runner/guard";
import { executeJob } from "@/lib/runner/job-execution";
import {
  type ExecuteJobOptions,
  isTerminalJobStatus,
  type JobOutcome,
  type JobStore,
} from "@/lib/runner/job-kind";
import { statusColumnStore } from "@/lib/runner/status-store";
import { promoteWinner } from "./promotion";

export const PROMOTION_STEPS = { check: "check", promote: "promote", record: "record" } as const;

export interface PromotionOutcome extends JobOutcome {
  /** What happened to the label, once the promotion succeeded. */
  outcome: string | null;
}

export const promotionStore: JobStore = statusColumnStore({
  noun: "promotion",
  status: async (db, id) => (await getPromotionJob(db, id))?.promotion.status ?? null,
  move: movePromotion,
  listUnfinished: listUnfinishedPromotions,
  async target(db, id) {
    const job = await getPromotionJob(db, id);
    return job && promotionTarget(job);
  },
});

/** Where a promotion is sent: one promotion per task label at a time (the Inngest concurrency key). */
export function promotionTarget(job: Pick<PromotionJobRecord, "id" | "projectId" | "taskId" | "label">) {
  return { id: job.id, projectId: job.projectId, provider: "none", scope: `${job.taskId}:${job.label}` };
}

async function storedOutcome(db: Db, id: string): Promise<PromotionOutcome> {
  const job = await getPromotionJob(db, id);
  const promotion = job?.promotion;
  return {
    status: promotion && isTerminalJobStatus(promotion.status) ? promotion.status : "interrupted",
    error: promotion?.error ?? null,
    failedStep: promotion?.failedStep ?? null,
    outcome: promotion?.outcome ?? null,
  };
}

async function runPromotion(
  db: Db,
  job: PromotionJobRecord,
  steps: GuardedStepRunner,
): Promise<PromotionOutcome> {
  const { winnerVariantId } = job.promotion;
  const read = async () => {
    const record = await getExperiment(db, job.projectId, job.id);
    if (!record) throw new Error(`experiment ${job.id} is gone`);
    return record;
  };
  const check = await steps.run(PROMOTION_STEPS.check, async () => {
    const record = await read();
    const winner = record.variants.find((v) => v.id === winnerVariantId);
    // Only the decision this promotion was queued for is promoted.
    const decided =
      record.status === "stopped" &&
      record.decision === "winner" &&
      record.winnerVariantId === winnerVariantId;
    if (!decided || !winner)
      return { winnerIndex: null, outcome: "not promoted: the experiment's decision is not that winner" };
    return { winnerIndex: winner.index, outcome: null };
  });
  const winnerIndex = check.winnerIndex;
  const outcome =
    winnerIndex === null
      ? check.outcome
      : await steps.run(PROMOTION_STEPS.promote, async () => {
          const record = await read();
          return promoteWinner(db, record, winnerIndex, record.decisionReason ?? "");
        });
  await steps.run(PROMOTION_STEPS.record, async () => ({
    recorded: await movePromotion(db, job.id, ["running"], { status: "running", outcome }),
  }));
  // Settled outside the steps (as every kind does): a replay of the function walks its memoized steps.
  await movePromotion(db, job.id, ["running"], { status: "succeeded" });
  return storedOutcome(db, job.id);
}

export function executeExperimentPromotion(
  db: Db,
  id: string,
  steps: StepRunner,
  signal?: AbortSignal,
  options?: ExecuteJobOptions,
): Promise<PromotionOutcome> {
  return executeJob({
    noun: "experiment promotion",
    store: promotionStore,
    db,
    id,
    steps,
    signal,
    cancelPollMs: options?.cancelPollMs,
    async prepare() {
      const job = await getPromotionJob(db, id);
      if (!job) throw new Error(`experiment ${id} has no promotion`);
      if (!(await getProjectById(db, job.projectId))) throw new Error(`project ${job.projectId} is gone`);
      return job;
    },
    run: (job, guarded) => runPromotion(db, job, guarded),
    storedOutcome: () => storedOutcome(db, id),
  });
}
