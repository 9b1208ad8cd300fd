// Executing a stored batch: the one path every runner takes (the embedded runner, the Inngest function,
// `strop batch`). The rows are processed in chunks of `chunkSize` by row number — chunk n holds rows
// n·chunkSize+1 … (n+1)·chunkSize — and the chunks are run by durable steps (`chunk-<n>`; past 900
// chunks a step runs several consecutive ones: lib/services/jobs/batch-plan.ts). A chunk reads its rows
// that are not done yet from the database, calls the task model through the LLM gateway (cache, rate
// limits, retries, accounting) with at most the model's `concurrency` calls in flight, writes the outputs
// back (each row marked done once, with its usage) and adds to the batch's counters; a step returns
// counts only. The row state is the durable record: a resumed batch skips the rows already done and never
// pays for them twice, whichever runner resumes it. A failing call fails its row (error recorded), not
// the batch. Cancelling, interruption and failure are settled by the engine (lib/runner/job-execution.ts):
// a cancel stops the batch before its next step and aborts the calls in flight (rows finished so far
// stay, the aborted ones stay pending). A chunk that fails on a transient database error is tried again
// with backoff (rows it already paid for are written, not called again); a batch the database still
// fails stores a plain message (no driver text) and can be resumed (lib/services/job-resume.ts).
import { mapConcurrent } from "@/lib/core/concurrency";
import { NotFoundError } from "@/lib/core/errors";
import type { StepRunner } from "@/lib/core/ports";
import { buildMessages } from "@/lib/core/prompt";
import type { PromptState } from "@/lib/core/types";
import {
  type BatchRecord,
  type BatchRowResult,
  claimBatch,
  type Db,
  emptyBatchCounts,
  finishActiveBatch,
  getBatchRecord,
  getBatchStatus,
  getPromptVersionById,
  listUnfinishedBatches,
  markBatchCancelled,
  pendingBatchRows,
  type RecordedCounts,
  recordBatchLatency,
  recordBatchResults,
  reopenBatch,
} from "@/lib/db";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";
import { createLlm, type Gateway } from "@/lib/llm/gateway";
import { parseModelId } from "@/lib/llm/model-id";
import type { Env } from "@/lib/llm/providers/index";
import { jobStateSteps } from "@/lib/runner/db-step-runner";
import { storedJobError } from "@/lib/runner/job-errors";
import { executeJob } from "@/lib/runner/job-execution";
import { isTerminalJobStatus, type JobOutcome, type JobStore } from "@/lib/runner/job-kind";
import { cacheConfigSchema, type ModelConfig, modelConfigSchema } from "@/lib/validation/task-file";
import { resolveProviderCredentials } from "./credentials/for-models";
import { heapBudget } from "./heap-budget";
import { type BatchStepPlan, batchStepId, planBatchSteps, stepChunks } from "./jobs/batch-plan";
import { gatewayOptions } from "./runs/context";

export { heapBudget } from "./heap-budget";

export type BatchOutcomeStatus = JobOutcome["status"];

export interface BatchOutcome extends JobOutcome {
  batchId: string;
  totalRows: number;
  doneRows: number;
  failedRows: number;
  skippedRows: number;
}

/** What the progress sink sees after every finished row (counters include earlier sessions' rows). */
export interface BatchProgressUpdate {
  batchId: string;
  totalRows: number;
  doneRows: number;
  failedRows: number;
  calls: number;
  cacheHits: number;
  /** Since this execution started. */
  elapsedMs: number;
  /** Rows done by this execution (the rate's numerator). */
  doneHere: number;
}

export interface ExecuteBatchOptions {
  progress?: (update: BatchProgressUpdate) => void;
  /** How often the database is asked whether the batch was cancelled elsewhere (ms; default 1000). */
  cancelPollMs?: number;
  /** Where the gateway reads REDIS_URL (default process.env). */
  env?: Env;
  /** How a chunk (and the batch's bookkeeping) is retried after a transient database error. */
  dbRetry?: RetryPolicy;
}

/** The counts a step returns (all a runner memoizes: the rows live in the database). */
export type ChunkCounts = RecordedCounts & { rows: number };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The StepRunner of `strop batch` and the embedded runner: the rows are the durable record. */
export const rowStateSteps: () => StepRunner = jobStateSteps;

/** The task model's provider (Inngest's concurrency key); "unknown" when the stored model does not parse. */
function providerOf(model: unknown): string {
  try {
    return parseModelId(modelConfigSchema.parse(model).id).provider;
  } catch {
    return "unknown";
  }
}

/** The store operations of batches, as the job engine needs them. */
export const batchStore: JobStore = {
  status: getBatchStatus,
  claim: claimBatch,
  markCancelled: markBatchCancelled,
  async markFailed(db, id, error, failedStep) {
    await finishActiveBatch(db, id, {
      status: "failed",
      error: storedJobError(error, "batch", id),
      failedStep,
    });
  },
  listUnfinished: async (db) =>
    (await listUnfinishedBatches(db)).map((b) => ({ id: b.id, origin: b.origin === "cli" ? "cli" : "app" })),
  reopen: reopenBatch,
  async target(db, id) {
    const batch = await getBatchRecord(db, id);
    return batch && { id, projectId: batch.projectId, provider: providerOf(batch.model) };
  },
};

async function storedOutcome(db: Db, batchId: string): Promise<BatchOutcome> {
  const batch = await getBatchRecord(db, batchId);
  if (!batch) throw new NotFoundError(`no batch with id "${batchId}"`);
  return {
    batchId,
    status: isTerminalJobStatus(batch.status) ? batch.status : "interrupted",
    totalRows: batch.totalRows,
    doneRows: batch.doneRows,
    failedRows: batch.failedRows,
    skippedRows: batch.skippedRows,
    error: batch.error,
    failedStep: batch.failedStep,
  };
}

interface PreparedBatch {
  batch: BatchRecord;
  model: ModelConfig;
  prompt: PromptState;
  llm: Gateway;
}

async function prepare(db: Db, batchId: string, env: Env | undefined): Promise<PreparedBatch> {
  const batch = await getBatchRecord(db, batchId);
  if (!batch) throw new NotFoundError(`no batch with id "${batchId}"`);
  const model = modelConfigSchema.parse(batch.model);
  const cache = cacheConfigSchema.parse(batch.cache);
  const version = await getPromptVersionById(db, batch.promptVersionId);
  if (!version) throw new Error(`batch ${batch.id}: its prompt version ${batch.promptVersionId} is gone`);
  // Batches from the app call with the project's credentials only; `strop batch` with its user's environment.
  const credentials = await resolveProviderCredentials(db, batch.projectId, [{ path: "model", model }], {
    author: batch.origin === "cli" ? "operator" : "project",
    ...(env ? { env } : {}),
  });
  const llm = createLlm(
    gatewayOptions(
      { models: { task: model, optimizer: model }, cache },
      { db, env, credentials, projectId: batch.projectId },
    ),
  ).withScope(batch.id);
  const prompt: PromptState = {
    systemPrompt: version.systemPrompt,
    outputPrompt: version.outputPrompt,
    demos: version.demos,
    // The model configuration's parameters are defaults; the prompt version's own win.
    params: { ...model.params, ...version.params },
  };
  return { batch, model, prompt, llm };
}

function addCounts(a: ChunkCounts, b: ChunkCounts): ChunkCounts {
  return {
    done: a.done + b.done,
    failed: a.failed + b.failed,
    calls: a.calls + b.calls,
    cacheHits: a.cacheHits + b.cacheHits,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: a.costUsd + b.costUsd,
    rows: a.rows + b.rows,
  };
}

/**
 * The steps of a batch as `plan` cuts it: each runs its chunks one after another and returns their
 * summed counts (never rows). `runChunk(n)` processes chunk n.
 */
export async function runBatchSteps(
  plan: BatchStepPlan,
  steps: StepRunner,
  runChunk: (n: number) => Promise<ChunkCounts>,
  signal?: AbortSignal,
): Promise<void> {
  for (let step = 0; step < plan.steps; step++) {
    const { first, last } = stepChunks(plan, step);
    await steps.run(batchStepId(plan, step), async () => {
      let total: ChunkCounts = { ...emptyBatchCounts(), rows: 0 };
      for (let n = first; n <= last && !signal?.aborted; n++) total = addCounts(total, await runChunk(n));
      return total;
    });
  }
}

/**
 * Runs (or resumes, or replays) stored batch `batchId` through `steps` and settles its status:
 * succeeded (every row done; failed calls are failed rows), failed (a step failed for another reason:
 * error and step stored), cancelled, or left running when `signal` interrupts it. A finished batch is
 * not touched. Never throws for a failing batch: the outcome says what happened.
 */
export function executeBatch(
  db: Db,
  batchId: string,
  steps: StepRunner,
  signal?: AbortSignal,
  options: ExecuteBatchOptions = {},
): Promise<BatchOutcome> {
  return executeJob<PreparedBatch, BatchOutcome>({
    noun: "batch",
    store: batchStore,
    db,
    id: batchId,
    steps,
    signal,
    cancelPollMs: options.cancelPollMs,
    dbRetry: options.dbRetry,
    prepare: () => prepare(db, batchId, options.env),
    storedOutcome: () => storedOutcome(db, batchId),
    close: (prepared) => prepared.llm.close(),
    afterFinish: () => recordBatchLatency(db, batchId),
    async run(prepared, guarded, aborted) {
      const plan = planBatchSteps(prepared.batch.lastRowNumber, prepared.batch.chunkSize);
      await runBatchSteps(plan, guarded, chunkRunner(db, prepared, aborted, options), aborted);
      const again = <T>(fn: () => Promise<T>) => retryTransient(fn, options.dbRetry);
      // Only while still running: a batch cancelled meanwhile stays cancelled.
      await again(() => finishActiveBatch(db, batchId, { status: "succeeded" }));
      return again(() => storedOutcome(db, batchId));
    },
  });
}

/** Chunk n of a batch: its pending rows through the gateway, the results written back in one transaction. */
function chunkRunner(
  db: Db,
  { batch, model, prompt, llm }: PreparedBatch,
  signal: AbortSignal,
  options: ExecuteBatchOptions,
): (n: number) => Promise<ChunkCounts> {
  const batchId = batch.id;
  const paceHeap = heapBudget(options.env);
  const started = Date.now();
  const live = {
    doneRows: batch.doneRows,
    failedRows: batch.failedRows,
    calls: batch.calls,
    cacheHits: batch.cacheHits,
    doneHere: 0,
  };
  const report = () =>
    options.progress?.({ batchId, totalRows: batch.totalRows, ...live, elapsedMs: Date.now() - started });
  report();
  // Results paid for but not recorded yet: when a chunk fails on the database after its calls and is tried
  // again, its rows are written from here instead of being called again.
  const unrecorded = new Map<number, BatchRowResult>();
  // The gateway's retries up to the last recorded chunk (chunks run one after another).
  let retriesRecorded = llm.stats().total.retries;

  return async (n) => {
    const from = n * batch.chunkSize + 1;
    const rows = await pendingBatchRows(db, batchId, from, from + batch.chunkSize - 1);
    if (rows.length === 0) return { ...emptyBatchCounts(), rows: 0 };
    const results: BatchRowResult[] = [];
    const toCall = rows.filter((row) => {
      const kept = unrecorded.get(row.rowNumber);
      if (kept) results.push(kept);
      return !kept;
    });
    await mapConcurrent(toCall, model.concurrency, async (row) => {
      if (signal.aborted) return;
      const callStarted = performance.now();
      let result: BatchRowResult;
      try {
        const response = await llm.generate({
          model: model.id,
          messages: buildMessages(prompt, row.input),
          params: prompt.params,
          signal,
        });
        result = {
          ...row,
          output: response.text,
          error: null,
          inputTokens: response.usage.inputTokens,
          outputTokens: response.usage.outputTokens,
          costUsd: response.costUsd,
          latencyMs: response.latencyMs,
          cached: response.cached,
        };
      } catch (error) {
        // Aborted (cancel, shutdown): the row did not fail, it stays pending.
        if (signal.aborted) return;
        result = {
          ...row,
          output: null,
          error: message(error),
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          latencyMs: performance.now() - callStarted,
          cached: false,
        };
      }
      results.push(result);
      unrecorded.set(row.rowNumber, result);
      live.doneRows++;
      live.doneHere++;
      live.calls++;
      if (result.error !== null) live.failedRows++;
      if (result.cached) live.cacheHits++;
      report();
      if (live.doneHere % 32 === 0) paceHeap();
    });
    // Rows that finished are real (and paid for): keep them even when the chunk was cut short.
    results.sort((a, b) => a.rowNumber - b.rowNumber);
    const retriesNow = llm.stats().total.retries;
    const recorded = await recordBatchResults(db, batchId, results, retriesNow - retriesRecorded);
    retriesRecorded = retriesNow;
    // Rows of this chunk are done now (also those a commit the client lost track of had recorded).
    for (const rowNumber of unrecorded.keys())
      if (rowNumber >= from && rowNumber < from + batch.chunkSize) unrecorded.delete(rowNumber);
    return { ...recorded, rows: rows.length };
  };
}
