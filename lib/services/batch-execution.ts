// Executing a stored batch: the one path every runner takes (the embedded runner, the Inngest function,
// `strop batch`). The rows are processed in chunks of `chunkSize` by row number — chunk n holds rows
// n·chunkSize+1 … (n+1)·chunkSize — and each chunk is a durable step with the stable id `chunk-<n>`: it
// reads its rows that are not done yet from the database, calls the task model through the LLM gateway
// (cache, rate limits, retries, accounting) with at most the model's `concurrency` calls in flight,
// writes the outputs back (each row marked done once, with its usage) and adds to the batch's counters.
// The row state is the durable record: a resumed batch skips the rows already done and never pays for
// them twice, whichever runner resumes it. A failing call fails its row (error recorded), not the batch;
// a cancel stops the batch before its next chunk and aborts the calls in flight (rows finished so far
// stay, the aborted ones stay pending). A chunk that fails on a transient database error is tried again
// with backoff (rows it already paid for are written, not called again); a batch the database still
// fails stores a plain message (no driver text) and can be resumed (lib/services/job-resume.ts).
import { setMaxListeners } from "node:events";
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
  getDb,
  getPromptVersionById,
  listUnfinishedBatches,
  markBatchCancelled,
  pendingBatchRows,
  type RecordedCounts,
  recordBatchLatency,
  recordBatchResults,
} from "@/lib/db";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";
import { createLlm, type Gateway } from "@/lib/llm/gateway";
import type { Env } from "@/lib/llm/providers/index";
import { guardSteps, isRunCancelled, RunCancelledError } from "@/lib/runner/guard";
import { activeRunner, embeddedRunner, type RunnerName } from "@/lib/runner/index";
import { cacheConfigSchema, type ModelConfig, modelConfigSchema } from "@/lib/validation/task-file";
import { resolveProviderCredentials } from "./credentials/for-models";
import { heapBudget } from "./heap-budget";
import { storedJobError } from "./job-errors";
import { gatewayOptions } from "./run-context";

export { heapBudget } from "./heap-budget";

export type BatchOutcomeStatus = "succeeded" | "failed" | "cancelled" | "interrupted";

export interface BatchOutcome {
  batchId: string;
  /** "interrupted": the caller's signal stopped it without a cancel; the batch stays "running". */
  status: BatchOutcomeStatus;
  totalRows: number;
  doneRows: number;
  failedRows: number;
  skippedRows: number;
  error: string | null;
  failedStep: string | null;
  /** The error that failed the batch (this process only; not stored). */
  cause?: unknown;
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

/** The counts a chunk step returns (all a runner memoizes: the rows live in the database). */
export type ChunkCounts = RecordedCounts & { rows: number };

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The step id of chunk `n`. */
export const chunkStepId = (n: number) => `chunk-${n}`;

/** How many chunks a batch has (its rows are numbered 1 … lastRowNumber). */
export const chunkCount = (batch: Pick<BatchRecord, "lastRowNumber" | "chunkSize">) =>
  Math.ceil(batch.lastRowNumber / batch.chunkSize);

/**
 * The embedded runner's StepRunner for batches: a chunk's body runs every time (a resumed chunk finds
 * its finished rows done and skips them), nothing else is stored.
 */
export function rowStateSteps(): StepRunner {
  return {
    run: (_id, fn) => fn(),
    sleep: (_id, ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

async function storedOutcome(db: Db, batchId: string): Promise<BatchOutcome> {
  const batch = await getBatchRecord(db, batchId);
  if (!batch) throw new NotFoundError(`no batch with id "${batchId}"`);
  return {
    batchId,
    status: TERMINAL.has(batch.status) ? (batch.status as BatchOutcomeStatus) : "interrupted",
    totalRows: batch.totalRows,
    doneRows: batch.doneRows,
    failedRows: batch.failedRows,
    skippedRows: batch.skippedRows,
    error: batch.error,
    failedStep: batch.failedStep,
  };
}

interface PreparedBatch {
  model: ModelConfig;
  prompt: PromptState;
  llm: Gateway;
}

async function prepare(db: Db, batch: BatchRecord, env: Env | undefined): Promise<PreparedBatch> {
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
  return { model, prompt, llm };
}

/**
 * Runs (or resumes, or replays) stored batch `batchId` through `steps`, one step per chunk, and settles
 * its status: succeeded (every row done; failed calls are failed rows), failed (a step failed for another
 * reason: error and step stored), cancelled, or left running when `signal` interrupts it. A finished
 * batch is not touched. Never throws for a failing batch: the outcome says what happened.
 */
export async function executeBatch(
  db: Db,
  batchId: string,
  steps: StepRunner,
  signal?: AbortSignal,
  options: ExecuteBatchOptions = {},
): Promise<BatchOutcome> {
  // The bookkeeping around the chunks is retried after a transient database error like the chunks are.
  const again = <T>(fn: () => Promise<T>) => retryTransient(fn, { ...options.dbRetry, signal });
  const batch = await again(() => getBatchRecord(db, batchId));
  if (!batch) throw new NotFoundError(`no batch with id "${batchId}"`);
  if (TERMINAL.has(batch.status)) return again(() => storedOutcome(db, batchId));
  let prepared: PreparedBatch;
  try {
    prepared = await again(() => prepare(db, batch, options.env));
  } catch (error) {
    const stored = storedJobError(error, "batch", batchId);
    await again(() => finishActiveBatch(db, batchId, { status: "failed", error: stored }));
    return { ...(await again(() => storedOutcome(db, batchId))), cause: error };
  }
  try {
    if (!(await again(() => claimBatch(db, batchId)))) return await again(() => storedOutcome(db, batchId));
    return await runChunks(db, batch, prepared, steps, signal, options);
  } finally {
    await prepared.llm.close();
    if (TERMINAL.has((await again(() => getBatchStatus(db, batchId)).catch(() => null)) ?? "running"))
      await again(() => recordBatchLatency(db, batchId)).catch((error: unknown) =>
        console.error(`[strop] could not record the latency of batch ${batchId}:`, message(error)),
      );
  }
}

async function runChunks(
  db: Db,
  batch: BatchRecord,
  prepared: PreparedBatch,
  steps: StepRunner,
  signal: AbortSignal | undefined,
  options: ExecuteBatchOptions,
): Promise<BatchOutcome> {
  const batchId = batch.id;
  const { model, prompt, llm } = prepared;
  const controller = new AbortController();
  // Every call in flight listens to it (up to the model's concurrency): not a leak.
  setMaxListeners(0, controller.signal);
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener("abort", forward, { once: true });
  const isCancelled = async () => (await getBatchStatus(db, batchId)) === "cancelled";
  // A cancel from another process (the API, another CLI) also aborts the calls in flight.
  const watcher = setInterval(() => {
    isCancelled().then(
      (cancelled) => cancelled && controller.abort(new RunCancelledError("the batch was cancelled")),
      () => {},
    );
  }, options.cancelPollMs ?? 1000);
  watcher.unref?.();
  const guarded = guardSteps(steps, { signal: controller.signal, isCancelled, dbRetry: options.dbRetry });
  const again = <T>(fn: () => Promise<T>) => retryTransient(fn, options.dbRetry);

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
    options.progress?.({
      batchId,
      totalRows: batch.totalRows,
      ...live,
      elapsedMs: Date.now() - started,
    });
  report();

  // Results paid for but not recorded yet: when a chunk fails on the database after its calls and is tried
  // again, its rows are written from here instead of being called again.
  const unrecorded = new Map<number, BatchRowResult>();
  // The gateway's retries up to the last recorded chunk (chunks run one after another).
  let retriesRecorded = llm.stats().total.retries;

  /** One chunk: its pending rows through the gateway, the results written back in one transaction. */
  const runChunk = async (n: number): Promise<ChunkCounts> => {
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
      if (controller.signal.aborted) return;
      const callStarted = performance.now();
      let result: BatchRowResult;
      try {
        const response = await llm.generate({
          model: model.id,
          messages: buildMessages(prompt, row.input),
          params: prompt.params,
          signal: controller.signal,
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
        if (controller.signal.aborted) return;
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

  try {
    const chunks = chunkCount(batch);
    for (let n = 0; n < chunks; n++) await guarded.run(chunkStepId(n), () => runChunk(n));
    // Only while still running: a batch cancelled meanwhile stays cancelled.
    await again(() => finishActiveBatch(db, batchId, { status: "succeeded" }));
    return await again(() => storedOutcome(db, batchId));
  } catch (error) {
    const status = await again(() => getBatchStatus(db, batchId));
    if (status === "cancelled") return await again(() => storedOutcome(db, batchId));
    if (controller.signal.aborted || isRunCancelled(error)) {
      if (isRunCancelled(controller.signal.reason) || isRunCancelled(error)) {
        await again(() => markBatchCancelled(db, batchId));
        return await again(() => storedOutcome(db, batchId));
      }
      return { ...(await again(() => storedOutcome(db, batchId))), status: "interrupted", cause: error };
    }
    // A database that stayed unavailable fails the batch with a plain message: it can be resumed.
    const stored = storedJobError(error, "batch", batchId);
    await again(() =>
      finishActiveBatch(db, batchId, { status: "failed", error: stored, failedStep: guarded.failedStep }),
    );
    return { ...(await again(() => storedOutcome(db, batchId))), cause: error };
  } finally {
    clearInterval(watcher);
    signal?.removeEventListener("abort", forward);
  }
}

/** What the embedded runner calls: the stored batch, its row state the durable record. */
export function embeddedBatchExecutor(db: Db) {
  return (batchId: string, signal: AbortSignal) => executeBatch(db, batchId, rowStateSteps(), signal);
}

export interface ResumedBatches {
  runner: RunnerName;
  /** Batches handed to the embedded runner (none with Inngest: it keeps its own). */
  resumed: string[];
  /** Unfinished batches the CLI started: `strop batch --resume <id>` continues them. */
  skipped: string[];
}

/**
 * On app start (instrumentation.ts): with the embedded runner, every batch the app left queued or
 * running continues with its rows not done yet. Batches the CLI started are left to the CLI.
 */
export async function resumeUnfinishedBatches(
  db?: Db,
  options: { runner?: RunnerName; env?: Env } = {},
): Promise<ResumedBatches> {
  const runner = options.runner ?? activeRunner(options.env ?? process.env);
  if (runner !== "embedded") return { runner, resumed: [], skipped: [] };
  const database = db ?? (await getDb());
  const resumed: string[] = [];
  const skipped: string[] = [];
  for (const batch of await listUnfinishedBatches(database)) {
    if (batch.origin === "cli") {
      skipped.push(batch.id);
      continue;
    }
    embeddedRunner().submit(batch.id, embeddedBatchExecutor(database));
    resumed.push(batch.id);
  }
  return { runner, resumed, skipped };
}
