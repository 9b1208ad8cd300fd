// Which runner executes optimization runs and batches, and handing them to it.
//   STROP_RUNNER=inngest|embedded; default: inngest when INNGEST_EVENT_KEY or INNGEST_DEV is set,
//   else embedded (in the app process, STROP_MAX_CONCURRENT_RUNS at a time).
import { EmbeddedRunner, maxConcurrentRuns, type RunExecutor } from "./embedded";

export { createDbStepRunner } from "./db-step-runner";
export { EmbeddedRunner, maxConcurrentRuns, type RunExecutor } from "./embedded";
export { type GuardedStepRunner, guardSteps, RunCancelledError } from "./guard";

export type RunnerName = "inngest" | "embedded";

type Env = Record<string, string | undefined>;

function isSet(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

/** The runner this process hands runs to (also shown in the UI). */
export function activeRunner(env: Env = process.env): RunnerName {
  const chosen = env.STROP_RUNNER?.trim().toLowerCase();
  if (chosen === "inngest" || chosen === "embedded") return chosen;
  if (chosen) throw new Error(`STROP_RUNNER must be "inngest" or "embedded", got "${env.STROP_RUNNER}"`);
  return isSet(env.INNGEST_EVENT_KEY) || isSet(env.INNGEST_DEV) ? "inngest" : "embedded";
}

// One embedded runner per process, kept on globalThis so that every Next.js bundle (route handlers,
// instrumentation) and hot reload shares its queue and its concurrency bound.
const holder = globalThis as typeof globalThis & { __stropEmbeddedRunner?: EmbeddedRunner };

export function embeddedRunner(): EmbeddedRunner {
  holder.__stropEmbeddedRunner ??= new EmbeddedRunner(maxConcurrentRuns());
  return holder.__stropEmbeddedRunner;
}

/**
 * Resolves once this process no longer executes job `id` (a run or a batch): a job being resumed must
 * not be handed to the embedded queue while its previous execution is still winding down, or the queue
 * would take it for the same submission.
 */
export async function stoppedHere(id: string): Promise<void> {
  await holder.__stropEmbeddedRunner?.running(id);
}

export interface RunDispatch {
  runId: string;
  projectId: string;
  /** The task model's provider: Inngest's concurrency and throttle key. */
  provider: string;
}

/**
 * Hands a stored, queued run to the active runner: an Inngest event, or the embedded queue (which calls
 * `execute`). Throws when Inngest cannot be reached.
 */
export async function dispatchRun(
  run: RunDispatch,
  execute: RunExecutor,
  runner: RunnerName = activeRunner(),
): Promise<RunnerName> {
  if (runner === "inngest") {
    // Loaded on demand: processes that only use the embedded runner never load the Inngest SDK.
    const { sendRunRequested } = await import("@/inngest/client");
    await sendRunRequested(run);
  } else embeddedRunner().submit(run.runId, execute);
  return runner;
}

/**
 * Stops a run the caller has already marked cancelled: aborts it when it runs (or waits) in this process,
 * and with Inngest sends `strop/run.cancel`. Runs executing in another process see the cancelled status
 * before their next step (and abort calls in flight within about a second).
 */
export async function cancelRun(runId: string, runner: RunnerName = activeRunner()): Promise<void> {
  holder.__stropEmbeddedRunner?.cancel(runId);
  if (runner === "inngest") {
    const { sendRunCancel } = await import("@/inngest/client");
    await sendRunCancel({ runId });
  }
}

export interface BatchDispatchTarget {
  batchId: string;
  projectId: string;
  /** The task model's provider: Inngest's concurrency key. */
  provider: string;
}

/**
 * Hands a stored, queued batch to the active runner: an Inngest event, or the embedded queue (shared
 * with runs: STROP_MAX_CONCURRENT_RUNS jobs at a time). Throws when Inngest cannot be reached.
 */
export async function dispatchBatch(
  batch: BatchDispatchTarget,
  execute: RunExecutor,
  runner: RunnerName = activeRunner(),
): Promise<RunnerName> {
  if (runner === "inngest") {
    const { sendBatchRequested } = await import("@/inngest/client");
    await sendBatchRequested(batch);
  } else embeddedRunner().submit(batch.batchId, execute);
  return runner;
}

/**
 * Stops a batch the caller has already marked cancelled: aborts it when it runs (or waits) in this
 * process, and with Inngest sends `strop/batch.cancel`. A batch executing in another process sees the
 * cancelled status before its next chunk (and aborts its calls in flight within about a second).
 */
export async function cancelBatchExecution(
  batchId: string,
  runner: RunnerName = activeRunner(),
): Promise<void> {
  holder.__stropEmbeddedRunner?.cancel(batchId);
  if (runner === "inngest") {
    const { sendBatchCancel } = await import("@/inngest/client");
    await sendBatchCancel({ batchId });
  }
}
