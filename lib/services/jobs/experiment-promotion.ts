// The experiment-promotion job kind: moving a concluded experiment's label to its winner (or opening a
// change request for a protected label; lib/services/experiments/promotion-job.ts), on the embedded
// runner or as the Inngest function `experiment-promotion` (events `strop/experiment-promotion.requested`
// / `.cancel`, keyed by `experimentId`). Its record is the experiment's promotion, so no step results are
// kept. One promotion per task label at a time: the concurrency key is the event's `scope`.
import { getPromotionJob, type PromotionJobRecord } from "@/lib/db";
import {
  type JobKind,
  type JobStatus,
  type JobStreamProjection,
  positiveSetting,
} from "@/lib/runner/job-kind";
import {
  executeExperimentPromotion,
  type PromotionOutcome,
  promotionStore,
} from "../experiments/promotion-job";

type PromotionState = PromotionJobRecord & { status: JobStatus };

const stream: JobStreamProjection<PromotionState, { status: string }> = {
  read: async (db, id) => {
    const job = await getPromotionJob(db, id);
    return job && { ...job, status: job.promotion.status };
  },
  progress: (job) => ({ status: job.status }),
  end: (job) => ({ status: job.status, outcome: job.promotion.outcome, error: job.promotion.error }),
};

export const experimentPromotionJob: JobKind<
  PromotionOutcome,
  { experimentId: string; status: string; outcome: string | null },
  typeof stream
> = {
  id: "experiment-promotion",
  noun: "experiment promotion",
  inngest: {
    functionId: "experiment-promotion",
    name: "Experiment promotion",
    events: {
      requested: "strop/experiment-promotion.requested",
      cancel: "strop/experiment-promotion.cancel",
      idField: "experimentId",
    },
    /** One promotion per task label at a time; STROP_INNGEST_PROMOTION_PROJECT_CONCURRENCY per project (2). */
    flowControl: (env) => ({
      concurrency: [
        { key: "event.data.scope", limit: 1 },
        {
          key: "event.data.projectId",
          limit: positiveSetting(env, "STROP_INNGEST_PROMOTION_PROJECT_CONCURRENCY", 2),
        },
      ],
      retries: 3,
    }),
  },
  store: promotionStore,
  resumesUnattended: () => true,
  checkpoints: "job-state",
  execute: (db, id, steps, signal, options) => executeExperimentPromotion(db, id, steps, signal, options),
  functionResult: (experimentId, outcome) => ({
    experimentId,
    status: outcome.status,
    outcome: outcome.outcome,
  }),
  stream,
};
