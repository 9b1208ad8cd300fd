// Recording a run as it goes: progress (sampled into the database twice a second) and the recorder the
// workflow writes per-example results and iterations through — and reads results back from, since its
// durable steps return counts, not outputs. Writes are idempotent, so a step retried after a transient
// database error writes the same rows again.
import type { Progress, ProgressSink } from "@/lib/core/ports";
import type { RunRecorder } from "@/lib/core/recorder";
import type { IterationRecord } from "@/lib/core/report";
import type { ScoredExample } from "@/lib/core/types";
import {
  type Db,
  type ExampleResultRecord,
  readPhaseResults,
  recordIteration,
  updateRunProgress,
  upsertExampleResults,
} from "@/lib/db";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";

/**
 * Persists progress at most twice a second: the sink sees every update, the database a sample.
 * `retries`: the run's gateway retries so far (earlier executions included).
 */
export function progressWriter(db: Db, runId: string, sink?: ProgressSink, retries?: () => number) {
  let last = 0;
  let latest: Progress | null = null;
  const write = (p: Progress) =>
    updateRunProgress(db, runId, p, {
      calls: p.calls,
      inputTokens: p.inputTokens,
      outputTokens: p.outputTokens,
      costUsd: p.costUsd,
      retries: retries?.(),
    }).catch(() => {});
  return {
    sink: (p: Progress) => {
      sink?.(p);
      latest = p;
      if (Date.now() - last > 500) {
        last = Date.now();
        void write(p);
      }
    },
    flush: async () => {
      if (latest) await write(latest);
    },
  };
}

/** A stored result as the workflow recorded it. */
function scoredExample(row: ExampleResultRecord): ScoredExample {
  return {
    exampleId: row.exampleKey,
    output: row.output,
    error: row.error,
    usage: { inputTokens: row.inputTokens, outputTokens: row.outputTokens },
    costUsd: row.costUsd,
    latencyMs: row.latencyMs,
    cached: row.cached,
    score: row.score,
    metrics: row.metrics,
  };
}

/**
 * Writes are upserts, so one that a transient database error interrupted is simply written again; `read`
 * gives the workflow back what its steps stored (steps return counts, not outputs).
 */
export function recorderFor(db: Db, runId: string, dbRetry: RetryPolicy = {}): RunRecorder {
  return {
    results: (phase, split, results: ScoredExample[]) =>
      retryTransient(() => upsertExampleResults(db, runId, phase, split, results), dbRetry),
    async read(phase, ids) {
      const rows = await retryTransient(() => readPhaseResults(db, runId, phase, ids), dbRetry);
      return new Map(rows.map((row) => [row.exampleKey, scoredExample(row)]));
    },
    async iteration(record: IterationRecord) {
      const iteration = {
        index: record.index,
        incumbentScore: record.incumbentValidation,
        accepted: record.accepted !== null,
        acceptedCandidate: record.accepted,
        summary: {
          incumbentTrain: record.incumbentTrain,
          trainExamples: record.trainExamples,
          validationExamples: record.validationExamples,
          rejectedProposals: record.rejectedProposals,
          usage: record.usage,
        },
      };
      const candidates = record.candidates.map((c) => ({
        index: c.index,
        ...c.prompt,
        rationale: c.rationale,
        status: c.status,
        rejectReason: c.rejectReason ?? null,
        trainScore: c.trainScore,
        validationScore: c.validationScore,
        gainLow: c.gain?.low ?? null,
        gainHigh: c.gain?.high ?? null,
        accepted: c.accepted,
      }));
      // The iteration and its candidates commit together (the events stream reads them as one).
      await retryTransient(() => recordIteration(db, runId, iteration, candidates), dbRetry);
    },
  };
}
