// Executing a stored run: the one path every runner takes (the embedded runner, the Inngest function,
// `strop optimize|eval` and `strop runs resume`). It loads the run's resolved config, prompt version and
// dataset version from the database, runs the workflow through the given StepRunner, records progress,
// per-example results, iterations and candidates as it goes (./run-recording.ts), and settles the run's
// status through the job engine (lib/runner/job-execution.ts). A step or a
// write interrupted by a transient database error is retried with backoff; a run the database still fails
// stores a plain message (no driver text) and can be resumed (lib/services/job-resume.ts).
import { NotFoundError } from "@/lib/core/errors";
import { runEvaluation } from "@/lib/core/evaluation";
import type { ProgressSink, StepRunner } from "@/lib/core/ports";
import type { OptimizationReport } from "@/lib/core/report";
import type { Example, PromptState } from "@/lib/core/types";
import { runOptimization } from "@/lib/core/workflow";
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
  listUnfinishedRuns,
  markRunCancelled,
  type RunKind,
  type RunRecord,
  recordRunLatency,
  reopenRun,
  SAVE_WINNER_STEP,
} from "@/lib/db";
import { type RetryPolicy, retryTransient } from "@/lib/db/transient";
import { parseModelId } from "@/lib/llm/model-id";
import { storedJobError } from "@/lib/runner/job-errors";
import { executeJob } from "@/lib/runner/job-execution";
import { isTerminalJobStatus, type JobOutcome, type JobStore } from "@/lib/runner/job-kind";
import type { RunReport } from "@/lib/validation/run-state";
import { runOrigin, type StoredRunConfig, storedRunConfigSchema } from "@/lib/validation/runs";
import { resolveProviderCredentials, runModels } from "./credentials/for-models";
import { progressWriter, recorderFor } from "./run-recording";
import { buildRunContext, type RunContext } from "./runs/context";
import { describeIssues } from "./task-file";

const systemClock = { now: () => Date.now() };

/** The note of a winner's prompt version: the run and its held-out test scores. */
export function winnerNote(runId: string, report: OptimizationReport): string {
  return `run ${runId}: test ${report.test.baseline.mean.toFixed(3)} -> ${report.test.best.mean.toFixed(3)}`;
}

/**
 * How an execution ended. "interrupted": the caller's signal stopped it without a cancel (the process is
 * shutting down, Ctrl-C): the run stays "running" and resumes from its last finished step.
 */
export type RunOutcomeStatus = JobOutcome["status"];

export interface RunOutcome extends JobOutcome {
  runId: string;
  kind: RunKind;
  /** The run's report, told apart by `kind` (the run's); null without one. */
  report: RunReport | null;
  /** Version number of the prompt the run started from (or evaluated). */
  baselineVersion: number;
  /**
   * Version number the winner was saved as; null when the baseline stayed best, nothing finished, or
   * (runs started through the API) nobody saved it yet.
   */
  savedVersion: number | null;
}

export interface ExecuteRunOptions {
  /** Sees every progress update (the database gets one every 500 ms). */
  progress?: ProgressSink;
  /** How often the database is asked whether the run was cancelled elsewhere (ms; default 1000). */
  cancelPollMs?: number;
  /** How a step (and the run's bookkeeping) is retried after a transient database error. */
  dbRetry?: RetryPolicy;
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

/**
 * What a caller that just stored dataset version `datasetVersionId` from these examples (the CLI) knows
 * already: the run it executes next finds them here instead of reading every example back. Its content
 * hash covers every example's id, input and expected value, so they are the stored version's.
 */
export function rememberDatasetExamples(datasetVersionId: string, examples: readonly Example[]): void {
  exampleCache.set(
    datasetVersionId,
    examples.map(({ id, input, expected }) => ({ id, input, expected })),
  );
  if (exampleCache.size > EXAMPLE_CACHE_SIZE) exampleCache.delete(exampleCache.keys().next().value as string);
}

async function loadExamples(db: Db, datasetVersionId: string): Promise<Example[]> {
  const cached = exampleCache.get(datasetVersionId);
  if (cached) return cached;
  const examples = await listExamples(db, datasetVersionId);
  rememberDatasetExamples(datasetVersionId, examples);
  return exampleCache.get(datasetVersionId) as Example[];
}

interface PreparedRun {
  run: RunRecord;
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
  return { run, config, baseline: { id: version.id, version: version.version, prompt }, examples, context };
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
    status: isTerminalJobStatus(run.status) ? run.status : "interrupted",
    report: run.report,
    baselineVersion,
    savedVersion: best,
    error: run.error,
    failedStep: run.failedStep,
  };
}

/** The task model's provider (Inngest's concurrency key); "unknown" when the stored config does not parse. */
function providerOf(run: RunRecord): string {
  try {
    return parseModelId(parseStoredConfig(run).models.task.id).provider;
  } catch {
    return "unknown";
  }
}

/** Who started a run; a config that does not parse counts as the app's (executing it records why). */
function originOf(run: RunRecord): "app" | "cli" {
  try {
    return runOrigin(parseStoredConfig(run)) === "cli" ? "cli" : "app";
  } catch {
    return "app";
  }
}

/** The store operations of optimization runs (and evaluations), as the job engine needs them. */
export const runStore: JobStore = {
  status: getRunStatus,
  claim: claimRun,
  markCancelled: (db, id) => markRunCancelled(db, id),
  async markFailed(db, id, error, failedStep) {
    await finishActiveRun(db, id, { status: "failed", error: storedJobError(error, "run", id), failedStep });
  },
  listUnfinished: async (db) =>
    (await listUnfinishedRuns(db)).map((run) => ({ id: run.id, origin: originOf(run) })),
  reopen: reopenRun,
  async target(db, id) {
    const run = await getRun(db, id);
    return run && { id, projectId: run.projectId, provider: providerOf(run) };
  },
};

/**
 * Runs (or resumes, or replays) stored run `runId` through `steps` and settles its status: succeeded
 * (report stored, winner saved as a prompt version), failed (error and failed step stored), cancelled
 * (what finished stays readable), or left running when `signal` interrupts it. A run that already
 * finished is not touched. Never throws for a failing run: the outcome says what happened.
 */
export function executeRun(
  db: Db,
  runId: string,
  steps: StepRunner,
  signal?: AbortSignal,
  options: ExecuteRunOptions = {},
): Promise<RunOutcome> {
  return executeJob<PreparedRun, RunOutcome>({
    noun: "run",
    store: runStore,
    db,
    id: runId,
    steps,
    signal,
    cancelPollMs: options.cancelPollMs,
    dbRetry: options.dbRetry,
    async prepare() {
      const run = await getRun(db, runId);
      if (!run) throw new NotFoundError(`no run with id "${runId}"`);
      return prepareStoredRun(db, run);
    },
    storedOutcome: () => storedOutcome(db, runId),
    close: (prepared) => prepared.context.llm.close(),
    afterFinish: () => recordRunLatency(db, runId),
    run: (prepared, guarded, aborted) => runPrepared(db, prepared, guarded, aborted, options),
  });
}

async function runPrepared(
  db: Db,
  prepared: PreparedRun,
  guarded: StepRunner,
  signal: AbortSignal,
  options: ExecuteRunOptions,
): Promise<RunOutcome> {
  const { run, config, baseline, examples, context } = prepared;
  const runId = run.id;
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
          recorder: recorderFor(db, runId, options.dbRetry),
          signal,
        },
      );
      await progress.flush();
      const finished = await again(() =>
        finishActiveRun(db, runId, {
          status: "succeeded",
          report: { kind: "eval", ...report },
          bestVersionId: baseline.id,
        }),
      );
      if (!finished) return await again(() => storedOutcome(db, runId));
      return {
        ...base,
        status: "succeeded",
        report: { kind: "eval", ...report },
        savedVersion: null,
        error: null,
        failedStep: null,
      };
    }
    const report = await runOptimization({ ...context.settings, errorBudget: config.errorBudget }, examples, {
      llm: context.llm,
      steps: guarded,
      clock: systemClock,
      scorer: context.scorer,
      optimizer: context.optimizer,
      progress: progress.sink,
      recorder: recorderFor(db, runId, options.dbRetry),
      signal,
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
      finishActiveRun(db, runId, {
        status: "succeeded",
        report: { kind: "optimize", ...report },
        bestVersionId: savedId ?? baseline.id,
      }),
    );
    if (!written) return await again(() => storedOutcome(db, runId));
    return {
      ...base,
      status: "succeeded",
      report: { kind: "optimize", ...report },
      savedVersion: saved?.version ?? null,
      error: null,
      failedStep: null,
    };
  } catch (error) {
    // What the steps got to is readable while the engine settles the run.
    await progress.flush();
    throw error;
  }
}
