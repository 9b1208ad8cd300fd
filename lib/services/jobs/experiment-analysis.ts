// The experiment-analysis job kind: one analysis of a running experiment (lib/services/experiments/
// analysis-job.ts), on the embedded runner or as the Inngest function `experiment-analysis` (events
// `strop/experiment-analysis.requested` / `.cancel`, keyed by `analysisId`). Its row is its durable
// record: the snapshot is stored once, so no step results are kept.
import { getAnalysisJob } from "@/lib/db";
import { type JobKind, type JobStreamProjection, positiveSetting } from "@/lib/runner/job-kind";
import { type AnalysisOutcome, analysisStore, executeExperimentAnalysis } from "../experiments/analysis-job";

type AnalysisState = NonNullable<Awaited<ReturnType<typeof getAnalysisJob>>>;

const stream: JobStreamProjection<AnalysisState, { status: string }> = {
  read: (db, id) => getAnalysisJob(db, id),
  progress: (job) => ({ status: job.status }),
  end: (job) => ({ status: job.status, decision: job.snapshot?.decision ?? null, error: job.error }),
};

export const experimentAnalysisJob: JobKind<
  AnalysisOutcome,
  { analysisId: string; status: string; decision: string | null },
  typeof stream
> = {
  id: "experiment-analysis",
  noun: "experiment analysis",
  inngest: {
    functionId: "experiment-analysis",
    name: "Experiment analysis",
    events: {
      requested: "strop/experiment-analysis.requested",
      cancel: "strop/experiment-analysis.cancel",
      idField: "analysisId",
    },
    /** STROP_INNGEST_ANALYSIS_PROJECT_CONCURRENCY (default 2 analyses at a time per project). */
    flowControl: (env) => ({
      concurrency: [
        {
          key: "event.data.projectId",
          limit: positiveSetting(env, "STROP_INNGEST_ANALYSIS_PROJECT_CONCURRENCY", 2),
        },
      ],
      retries: 3,
    }),
  },
  store: analysisStore,
  resumesUnattended: () => true,
  checkpoints: "job-state",
  execute: (db, id, steps, signal, options) => executeExperimentAnalysis(db, id, steps, signal, options),
  functionResult: (analysisId, outcome) => ({
    analysisId,
    status: outcome.status,
    decision: outcome.decision,
  }),
  stream,
};
