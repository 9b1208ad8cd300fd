// Executing a stored run: the one path every runner takes (the embedded runner, the Inngest function,
// `strop optimize|eval` and `strop runs resume`). It loads the run's resolved config, prompt version and
// dataset version from the database, runs the workflow through the given StepRunner, records progress,
// per-example results, iterations and candidates as it goes, and settles the run's status. A step or a
// write interrupted by a transient database error is retried with backoff; a run the database still fails
// stores a plain message (no driver text) and can be resumed (lib/services/job-resume.ts).
import { setMaxListeners } from "node:events";
import { NotFoundError } from "@/lib/core/errors";
import { type EvaluationReport, runEvaluation } from "@/lib/core/evaluation";
import type { Progress, ProgressSink, StepRunner } from "@/lib/core/ports";
import type { IterationRecord, OptimizationReport } from "@/lib/core/report";
import type { Example, PromptState, ScoredExample } from "@/lib/core/types";
import { type RunRecorder, runOptimization } from "@/lib/core/workflow";
import {
  claimRun,
  createPromptVersion,
  type Db,
  finishActiveRun,
  getPromptVersion,
  getPromptVersionById,
  getRun,
  getRunStatus,
  listExamples,
  markRunCancelled,
  type RunKind,
  type RunRecord,
  recordIteration,
  recordRunLatency,
  SAVE_WINNER_STEP,
  updateRunProgress,
  upsertExampleResults,
} from "@/lib/db";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";
import { guardSteps, isRunCancelled, RunCancelledError } from "@/lib/runner/guard";
import { runOrigin, type StoredRunConfig, storedRunConfigSchema } from "@/lib/validation/runs";
import { resolveProviderCredentials, runModels } from "./credentials/for-models";
import { storedJobError } from "./job-errors";
import { buildRunContext, type RunContext } from "./run-context";
import { describeIssues } from "./task-file";

const systemClock = { now: () => Date.now() };

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

/** Writes are upserts, so one that a transient database error interrupted is simply written again. */
export function recorderFor(db: Db, runId: string, dbRetry: RetryPolicy = {}): RunRecorder {
  return {
    results: (phase, split, results: ScoredExample[]) =>
      retryTransient(() => upsertExampleResults(db, runId, phase, split, results), dbRetry),
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

/** The note of a winner's prompt version: the run and its held-out test scores. */
export function winnerNote(runId: string, report: OptimizationReport): string {
  return `run ${runId}: test ${report.test.baseline.mean.toFixed(3)} -> ${report.test.best.mean.toFixed(3)}`;
}

/**
 * How an execution ended. "interrupted": the caller's signal stopped it without a cancel (the process is
 * shutting down, Ctrl-C): the run stays "running" and resumes from its last finished step.
 */
export type RunOutcomeStatus = "succeeded" | "failed" | "cancelled" | "interrupted";

export interface RunOutcome {
  runId: string;
  kind: RunKind;
  status: RunOutcomeStatus;
  /** OptimizationReport (kind "optimize") or EvaluationReport (kind "eval"); null without one. */
  report: OptimizationReport | EvaluationReport | null;
  /** Version number of the prompt the run started from (or evaluated). */
  baselineVersion: number;
  /**
   * Version number the winner was saved as; null when the baseline stayed best, nothing finished, or
   * (runs started through the API) nobody saved it yet.
   */
  savedVersion: number | null;
  error: string | null;
  /** The id of the step whose body failed, when one did. */
  failedStep: string | null;
  /** The error that failed the run (this process only; not stored). */
  cause?: unknown;
}

export interface ExecuteRunOptions {
  /** Sees every progress update (the database gets one every 500 ms). */
  progress?: ProgressSink;
  /** How often the database is asked whether the run was cancelled elsewhere (ms; default 1000). */
  cancelPollMs?: number;
  /** How a step (and the run's bookkeeping) is retried after a transient database error. */
  dbRetry?: RetryPolicy;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The stored config of a run, checked (a run stored by an older or newer version may not parse). */
export function parseStoredConfig(run: Pick<RunRecord, "id" | "config">): StoredRunConfig {
  const parsed = storedRunConfigSchema.safeParse(run.config);
  if (!parsed.success) {
    throw new Error(`run ${run.id}: the stored config is not valid: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

// Dataset versions never change: keep the last few in memory, so that a replaying runner (Inngest calls
// the function once per step) does not read every example again each time.
const exampleCache = new Map<string, Example[]>();
const EXAMPLE_CACHE_SIZE = 4;

async function loadExamples(db: Db, datasetVersionId: string): Promise<Example[]> {
  const cached = exampleCache.get(datasetVersionId);
  if (cached) return cached;
  const examples = (await listExamples(db, datasetVersionId)).map(({ id, input, expected }) => ({
    id,
    input,
    expected,
  }));
  exampleCache.set(datasetVersionId, examples);
  if (exampleCache.size > EXAMPLE_CACHE_SIZE) exampleCache.delete(exampleCache.keys().next().value as string);
  return examples;
}

interface PreparedRun {
  config: StoredRunConfig;
  baseline: { id: string; version: number; prompt: PromptState };
  examples: Example[];
  context: RunContext;
}

async function prepareStoredRun(db: Db, run: RunRecord): Promise<PreparedRun> {
  const config = parseStoredConfig(run);
  const version = await getPromptVersionById(db, run.baselineVersionId);
  if (!version) throw new Error(`run ${run.id}: its prompt version ${run.baselineVersionId} is gone`);
  const prompt: PromptState = {
    systemPrompt: version.systemPrompt,
    outputPrompt: version.outputPrompt,
    demos: version.demos,
    params: version.params,
  };
  const examples = await loadExamples(db, run.datasetVersionId);
  // Runs from the app call with the project's credentials only; the CLI's with its user's environment.
  const credentials = await resolveProviderCredentials(db, run.projectId, runModels(config), {
    author: runOrigin(config) === "cli" ? "operator" : "project",
  });
  const context = buildRunContext(`run ${run.id}`, config, prompt, {
    db,
    credentials,
    projectId: run.projectId,
  });
  return { config, baseline: { id: version.id, version: version.version, prompt }, examples, context };
}

async function versionNumber(db: Db, id: string | null): Promise<number | null> {
  if (!id) return null;
  return (await getPromptVersionById(db, id))?.version ?? null;
}

/** The outcome of a run as the database has it (finished, or left running). */
async function storedOutcome(db: Db, runId: string): Promise<RunOutcome> {
  const run = await getRun(db, runId);
  if (!run) throw new NotFoundError(`no run with id "${runId}"`);
  const baselineVersion = (await versionNumber(db, run.baselineVersionId)) ?? 0;
  const best =
    run.bestVersionId !== run.baselineVersionId ? await versionNumber(db, run.bestVersionId) : null;
  return {
    runId,
    kind: run.kind,
    status: TERMINAL.has(run.status) ? (run.status as RunOutcomeStatus) : "interrupted",
    report: (run.report as RunOutcome["report"]) ?? null,
    baselineVersion,
    savedVersion: best,
    error: run.error,
    failedStep: run.failedStep,
  };
}

/**
 * Runs (or resumes, or replays) stored run `runId` through `steps` and settles its status: succeeded
 * (report stored, winner saved as a prompt version), failed (error and failed step stored), cancelled
 * (what finished stays readable), or left running when `signal` interrupts it. A run that already
 * finished is not touched. Never throws for a failing run: the outcome says what happened.
 */
export async function executeRun(
  db: Db,
  runId: string,
  steps: StepRunner,
  signal?: AbortSignal,
  options: ExecuteRunOptions = {},
): Promise<RunOutcome> {
  // The bookkeeping around the steps is retried after a transient database error like the steps are.
  const again = <T>(fn: () => Promise<T>) => retryTransient(fn, { ...options.dbRetry, signal });
  const run = await again(() => getRun(db, runId));
  if (!run) throw new NotFoundError(`no run with id "${runId}"`);
  if (TERMINAL.has(run.status)) return again(() => storedOutcome(db, runId));
  let prepared: PreparedRun;
  try {
    prepared = await again(() => prepareStoredRun(db, run));
  } catch (error) {
    const stored = storedJobError(error, "run", runId);
    await again(() => finishActiveRun(db, runId, { status: "failed", error: stored, failedStep: null }));
    return { ...(await again(() => storedOutcome(db, runId))), cause: error };
  }
  try {
    if (!(await again(() => claimRun(db, runId)))) return await again(() => storedOutcome(db, runId));
    return await runPrepared(db, run, prepared, steps, signal, options);
  } finally {
    await prepared.context.llm.close();
    if (TERMINAL.has((await again(() => getRunStatus(db, runId)).catch(() => null)) ?? "running"))
      await again(() => recordRunLatency(db, runId)).catch((error: unknown) =>
        console.error(`[strop] could not record the latency of run ${runId}:`, message(error)),
      );
  }
}

async function runPrepared(
  db: Db,
  run: RunRecord,
  prepared: PreparedRun,
  steps: StepRunner,
  signal: AbortSignal | undefined,
  options: ExecuteRunOptions,
): Promise<RunOutcome> {
  const runId = run.id;
  const { config, baseline, examples, context } = prepared;
  const controller = new AbortController();
  // Every call in flight listens to it (concurrency up to 256): not a leak.
  setMaxListeners(0, controller.signal);
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener("abort", forward, { once: true });
  const isCancelled = async () => (await getRunStatus(db, runId)) === "cancelled";
  // A cancel from another process (the API, `strop runs cancel`) also aborts the calls in flight.
  const watcher = setInterval(() => {
    isCancelled().then(
      (cancelled) => cancelled && controller.abort(new RunCancelledError()),
      () => {},
    );
  }, options.cancelPollMs ?? 1000);
  watcher.unref?.();
  const guarded = guardSteps(steps, { signal: controller.signal, isCancelled, dbRetry: options.dbRetry });
  const again = <T>(fn: () => Promise<T>) => retryTransient(fn, options.dbRetry);
  // This execution's retries on top of those of earlier executions (a resumed or Inngest-replayed run).
  const retries = () => (run.retries ?? 0) + context.llm.stats().total.retries;
  const progress = progressWriter(db, runId, options.progress, retries);
  const base = { runId, kind: run.kind, baselineVersion: baseline.version };
  try {
    if (run.kind === "eval") {
      const report = await runEvaluation(
        {
          prompt: baseline.prompt,
          taskModel: context.settings.taskModel,
          seed: config.seed,
          errorBudget: config.errorBudget,
        },
        examples,
        {
          llm: context.llm,
          steps: guarded,
          clock: systemClock,
          scorer: context.scorer,
          progress: progress.sink,
          onResults: (results) => again(() => upsertExampleResults(db, runId, "eval/all", "all", results)),
          signal: controller.signal,
        },
      );
      await progress.flush();
      const finished = await again(() =>
        finishActiveRun(db, runId, { status: "succeeded", report, bestVersionId: baseline.id }),
      );
      if (!finished) return await again(() => storedOutcome(db, runId));
      return { ...base, status: "succeeded", report, savedVersion: null, error: null, failedStep: null };
    }
    const report = await runOptimization({ ...context.settings, errorBudget: config.errorBudget }, examples, {
      llm: context.llm,
      steps: guarded,
      clock: systemClock,
      scorer: context.scorer,
      optimizer: context.optimizer,
      progress: progress.sink,
      recorder: recorderFor(db, runId, options.dbRetry),
      signal: controller.signal,
    });
    await progress.flush();
    // CLI runs save their winner; runs started through the API leave it to a user to save
    // (POST …/runs/{run}/winner). A step of its own, so that a resumed or replayed run never saves twice.
    const saved =
      report.bestOrigin && runOrigin(config) === "cli"
        ? await guarded.run(SAVE_WINNER_STEP, async () => {
            const version = await createPromptVersion(db, run.taskId, report.best, {
              source: "optimization",
              runId,
              note: winnerNote(runId, report),
            });
            // The version number only: a checkpoint holds what the workflow decided, no random ids.
            return { version: version.version };
          })
        : null;
    const savedId = saved
      ? (await again(() => getPromptVersion(db, run.taskId, saved.version)))?.id
      : undefined;
    const written = await again(() =>
      finishActiveRun(db, runId, { status: "succeeded", report, bestVersionId: savedId ?? baseline.id }),
    );
    if (!written) return await again(() => storedOutcome(db, runId));
    return {
      ...base,
      status: "succeeded",
      report,
      savedVersion: saved?.version ?? null,
      error: null,
      failedStep: null,
    };
  } catch (error) {
    await progress.flush();
    const status = await again(() => getRunStatus(db, runId));
    if (status === "cancelled") return await again(() => storedOutcome(db, runId));
    if (controller.signal.aborted) {
      if (isRunCancelled(controller.signal.reason)) {
        await again(() => markRunCancelled(db, runId));
        return await again(() => storedOutcome(db, runId));
      }
      return { ...(await again(() => storedOutcome(db, runId))), status: "interrupted", cause: error };
    }
    // A database that stayed unavailable fails the run with a plain message: it can be resumed.
    const stored = storedJobError(error, "run", runId);
    await again(() =>
      finishActiveRun(db, runId, { status: "failed", error: stored, failedStep: guarded.failedStep }),
    );
    return { ...(await again(() => storedOutcome(db, runId))), cause: error };
  } finally {
    clearInterval(watcher);
    signal?.removeEventListener("abort", forward);
  }
}
