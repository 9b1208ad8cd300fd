// Optimization runs from stored data (what the REST API calls): check a run spec completely, store a
// queued run with its resolved config, hand it to the active runner; cancel it; save its winner as a
// prompt version; resume unfinished runs when the app starts.

import type * as z from "zod";
import type { ProjectAccess } from "@/lib/auth/principal";
import { AppError, ConflictError, InputError, NotFoundError } from "@/lib/core/errors";
import { promptVariables } from "@/lib/core/prompt";
import type { OptimizationReport } from "@/lib/core/report";
import type { PromptState } from "@/lib/core/types";
import {
  type AuditActor,
  createRun,
  type Db,
  finishActiveRun,
  getDb,
  getLatestPromptVersion,
  getMetricConfig,
  getProjectDatasetVersion,
  getPromptVersion,
  getRun,
  getSavedWinnerVersion,
  listExamples,
  listUnfinishedRuns,
  markRunCancelled,
  type RunAudit,
  type RunStatus,
  saveRunWinnerVersion,
} from "@/lib/db";
import { parseModelId } from "@/lib/llm/model-id";
import type { Env } from "@/lib/llm/providers/index";
import { isMetricName } from "@/lib/metrics/registry";
import { createDbStepRunner } from "@/lib/runner/db-step-runner";
import {
  activeRunner,
  cancelRun,
  dispatchRun,
  embeddedRunner,
  type RunDispatch,
  type RunnerName,
} from "@/lib/runner/index";
import { expandUnionIssues } from "@/lib/validation/parse";
import { type RunSpecInput, runOrigin, runSpecSchema, storedRunConfigSchema } from "@/lib/validation/runs";
import type { MetricConfig } from "@/lib/validation/task-file";
import { checkModelsBuild, resolveProviderCredentials, runModels } from "./credentials/for-models";
import { buildRunContext } from "./run-context";
import { executeRun, parseStoredConfig, winnerNote } from "./run-execution";
import { hasWinner, requireProjectRun } from "./run-reads";
import { findProjectTask, modelFromRef, SpecRefProblem } from "./spec-refs";
import { describeIssues } from "./task-file";

export interface RunServiceOptions {
  /** Default: `activeRunner()` (STROP_RUNNER, INNGEST_EVENT_KEY, INNGEST_DEV). */
  runner?: RunnerName;
  /** Where credentials are looked up (default process.env). */
  env?: Env;
  /**
   * Hands the stored run to something else than the active runner (tests, tools); with a no-op the run
   * stays queued until a runner picks it up (`resumeUnfinishedRuns`, `strop runs resume`).
   */
  dispatch?: (run: RunDispatch) => Promise<void>;
  /** Who asked (API): the run's creation and cancellation are audited with it. */
  audit?: RunAudit;
}

/** Bad input naming the spec's field (over HTTP: `details.issues` with `in: "body"`). */
function fieldError(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`, { field, issues: [{ in: "body", path: field, message }] });
}

type ZodIssueLike = { path: PropertyKey[]; message: string };

function specError(raw: ZodIssueLike[]): InputError {
  const issues = expandUnionIssues(raw as z.core.$ZodIssue[]);
  return new InputError(`invalid run spec\n  ${describeIssues(issues)}`, {
    issues: issues.map((i) => ({ in: "body", path: i.path.map(String).join("."), message: i.message })),
  });
}

/** A SpecRefProblem from `fn` as bad input naming `field`. */
async function naming<T>(field: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SpecRefProblem) throw fieldError(field, error.message);
    throw error;
  }
}

async function resolveMetric(db: Db, projectId: string, ref: unknown, field: string): Promise<unknown> {
  if (typeof ref !== "string") return ref;
  const config = await getMetricConfig(db, projectId, ref);
  if (config) {
    return { name: config.metric, options: config.options, weight: config.weight } satisfies MetricConfig;
  }
  if (isMetricName(ref)) return { name: ref };
  throw fieldError(field, `no metric configuration named "${ref}" and no registered metric "${ref}"`);
}

const MAX_PROBLEMS = 5;

/** Every example must give every template variable a non-empty value. */
function checkExamples(
  examples: { id: string; rowNumber: number; input: Record<string, string> }[],
  variables: string[],
  label: string,
): void {
  if (examples.length === 0) throw fieldError("datasetVersionId", `${label} has no examples`);
  const problems: string[] = [];
  for (const example of examples) {
    for (const variable of variables) {
      const value = example.input[variable];
      if (typeof value !== "string" || value.trim() === "") {
        problems.push(
          `row ${example.rowNumber} (id "${example.id}"): template variable "${variable}" is missing or empty`,
        );
      }
    }
    if (problems.length > MAX_PROBLEMS) break;
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push("… more problems not shown");
    throw fieldError(
      "datasetVersionId",
      `${label} does not fit the prompt template:\n  ${shown.join("\n  ")}`,
    );
  }
}

export interface CreatedRun {
  /** The queued run (the API answers 202 { id }). */
  id: string;
  runner: RunnerName;
}

/**
 * Checks a run spec completely (task, prompt version, dataset version and its examples against the
 * template, models and their credentials, metrics, strategy, settings), stores a queued run holding the
 * resolved config, and hands it to the active runner. Bad input throws `InputError` naming the field
 * before anything is written. When Inngest cannot be reached, the run is marked failed and an
 * `AppError` (503, "runner_unavailable") is thrown.
 */
export async function createOptimizationRun(
  db: Db,
  projectId: string,
  spec: RunSpecInput,
  options: RunServiceOptions = {},
): Promise<CreatedRun> {
  const env = options.env ?? process.env;
  const parsed = runSpecSchema.safeParse(spec);
  if (!parsed.success) throw specError(parsed.error.issues);
  const s = parsed.data;
  const task = await naming("task", () => findProjectTask(db, projectId, s.task));
  const version =
    s.promptVersion !== undefined
      ? await getPromptVersion(db, task.id, s.promptVersion)
      : await getLatestPromptVersion(db, task.id);
  if (!version) {
    throw fieldError(
      "promptVersion",
      s.promptVersion !== undefined
        ? `task "${task.name}" has no prompt version ${s.promptVersion}`
        : `task "${task.name}" has no prompt version yet`,
    );
  }
  const dataset = await getProjectDatasetVersion(db, projectId, s.datasetVersionId);
  if (!dataset)
    throw fieldError("datasetVersionId", `no dataset version "${s.datasetVersionId}" in this project`);
  const prompt: PromptState = {
    systemPrompt: version.systemPrompt,
    outputPrompt: version.outputPrompt,
    demos: version.demos,
    params: version.params,
  };
  const candidate = {
    name: task.name,
    description: task.description,
    prompt: {
      system: prompt.systemPrompt,
      output: prompt.outputPrompt,
      demos: prompt.demos,
      params: prompt.params,
    },
    dataset: { path: `dataset:${dataset.datasetName}@v${dataset.version}`, expected: dataset.expectedColumn },
    models: {
      task: await naming("models.task", () => modelFromRef(db, projectId, s.models.task)),
      optimizer: await naming("models.optimizer", () => modelFromRef(db, projectId, s.models.optimizer)),
    },
    metrics: await Promise.all(s.metrics.map((m, i) => resolveMetric(db, projectId, m, `metrics.${i}`))),
    optimizer: s.optimizer,
    // The dataset version's split (fractions and seed, as its page previews it) unless the spec says.
    splits: { ...dataset.splits, ...spec.splits },
    acceptance: s.acceptance,
    stop: s.stop,
    budget: s.budget,
    cache: s.cache,
    errorBudget: s.errorBudget,
    seed: s.seed,
    origin: "api" as const,
    spec: s,
  };
  const checked = storedRunConfigSchema.safeParse(candidate);
  if (!checked.success) throw specError(checked.error.issues);
  const config = checked.data;
  // Providers, metrics and their options, the strategy, demos: the same checks a task file gets.
  const context = buildRunContext("run spec", config, prompt);
  await context.llm.close();
  // The project's credentials (and the server's standard provider variables): a missing one is a 400 now.
  const models = runModels(config);
  checkModelsBuild(
    models,
    await resolveProviderCredentials(db, projectId, models, { author: "project", env }),
  );
  const label = `dataset "${dataset.datasetName}" version ${dataset.version}`;
  checkExamples(await listExamples(db, dataset.id), promptVariables(prompt), label);

  const run = await createRun(
    db,
    {
      projectId,
      taskId: task.id,
      kind: "optimize",
      baselineVersionId: version.id,
      datasetVersionId: dataset.id,
      config,
      seed: config.seed,
    },
    options.audit,
  );
  const runner = options.runner ?? activeRunner(env);
  const target = { runId: run.id, projectId, provider: parseModelId(config.models.task.id).provider };
  try {
    if (options.dispatch) await options.dispatch(target);
    else await dispatchRun(target, embeddedExecutor(db), runner);
  } catch (error) {
    const reason = `could not hand the run to ${runner}: ${(error as Error).message}`;
    await finishActiveRun(db, run.id, { status: "failed", error: reason, failedStep: null });
    throw new AppError("runner_unavailable", reason, 503, { runId: run.id });
  }
  return { id: run.id, runner };
}

/** What the embedded runner calls: the stored run, checkpointed step by step in `db`. */
export function embeddedExecutor(db: Db) {
  return (runId: string, signal: AbortSignal) => executeRun(db, runId, createDbStepRunner(db, runId), signal);
}

export interface CancelledRun {
  id: string;
  status: RunStatus;
}

/**
 * Cancels a queued or running run: marks it cancelled (what it finished stays readable), aborts it when
 * it runs in this process, and with Inngest sends `strop/run.cancel`. Runs executing in another
 * process stop before their next step. A finished run cannot be cancelled (ConflictError); cancelling
 * a cancelled run again is a no-op.
 */
export async function cancelOptimizationRun(
  db: Db,
  runId: string,
  options: RunServiceOptions = {},
): Promise<CancelledRun> {
  const run = await getRun(db, runId);
  if (!run) throw new NotFoundError(`no run with id "${runId}"`);
  if (run.status === "cancelled") return { id: runId, status: "cancelled" };
  if (!(await markRunCancelled(db, runId, options.audit))) {
    const status = (await getRun(db, runId))?.status ?? run.status;
    if (status === "cancelled") return { id: runId, status };
    throw new ConflictError(`run ${runId} already ${status}; only queued or running runs can be cancelled`);
  }
  try {
    await cancelRun(runId, options.runner ?? activeRunner(options.env ?? process.env));
  } catch (error) {
    // The cancelled status alone stops the run before its next step.
    console.error(
      `[strop runner] could not send the cancel event of run ${runId}:`,
      (error as Error).message,
    );
  }
  return { id: runId, status: "cancelled" };
}

const auditOf = (access: ProjectAccess, actor: AuditActor): RunAudit => ({
  actor,
  organizationId: access.project.organization.id,
});

/** POST …/runs: `createOptimizationRun` in the caller's project, audited as "run.created". */
export function startProjectRun(
  db: Db,
  access: ProjectAccess,
  spec: RunSpecInput,
  actor: AuditActor,
  options: RunServiceOptions = {},
): Promise<CreatedRun> {
  return createOptimizationRun(db, access.project.id, spec, { ...options, audit: auditOf(access, actor) });
}

/** POST …/runs/{run}/cancel: `cancelOptimizationRun` for a run of the caller's project (else 404). */
export async function cancelProjectRun(
  db: Db,
  access: ProjectAccess,
  runId: string,
  actor: AuditActor,
  options: RunServiceOptions = {},
): Promise<CancelledRun> {
  await requireProjectRun(db, access, runId);
  return cancelOptimizationRun(db, runId, { ...options, audit: auditOf(access, actor) });
}

export interface SavedWinner {
  /** The new prompt version's id and number. */
  id: string;
  version: number;
}

/**
 * Saves the winner of a succeeded optimization run as a new prompt version of its task (source
 * "optimization", linked to the run) and makes it the run's best version, audited as
 * "run.winner_saved". ConflictError (409) when the run has no winner (not succeeded, an evaluation, or
 * the baseline stayed best) or when its winner is already saved (the details name that version).
 */
export async function saveRunWinner(
  db: Db,
  access: ProjectAccess,
  runId: string,
  actor: AuditActor,
): Promise<SavedWinner> {
  const run = await requireProjectRun(db, access, runId);
  if (run.kind !== "optimize") throw new ConflictError(`run ${runId} is an evaluation: it has no winner`);
  if (run.status !== "succeeded")
    throw new ConflictError(`run ${runId} is ${run.status}; only a succeeded run's winner can be saved`);
  const saved = await getSavedWinnerVersion(db, runId);
  if (saved !== null)
    throw new ConflictError(`the winner of run ${runId} is already saved as version ${saved}`, {
      version: saved,
    });
  if (!hasWinner(run)) throw new ConflictError(`run ${runId} has no winner: no candidate beat the baseline`);
  const report = run.report as OptimizationReport;
  const version = await saveRunWinnerVersion(
    db,
    {
      runId,
      organizationId: access.project.organization.id,
      content: report.best,
      note: winnerNote(runId, report),
    },
    actor,
  );
  return { id: version.id, version: version.version };
}

export interface ResumedRuns {
  runner: RunnerName;
  /** Runs handed to the embedded runner (none with Inngest: it keeps its own runs). */
  resumed: string[];
  /** Unfinished runs started by the CLI: `strop runs resume <id>` continues them. */
  skipped: string[];
}

/**
 * On app start (instrumentation.ts): with the embedded runner, every run left queued or running by the
 * app continues from its last finished step. Runs the CLI started are left to `strop runs resume`.
 */
export async function resumeUnfinishedRuns(db?: Db, options: RunServiceOptions = {}): Promise<ResumedRuns> {
  const runner = options.runner ?? activeRunner(options.env ?? process.env);
  if (runner !== "embedded") return { runner, resumed: [], skipped: [] };
  const database = db ?? (await getDb());
  const resumed: string[] = [];
  const skipped: string[] = [];
  for (const run of await listUnfinishedRuns(database)) {
    let origin: "cli" | "api";
    try {
      origin = runOrigin(parseStoredConfig(run));
    } catch {
      origin = "api"; // executeRun records why it cannot run
    }
    if (origin === "cli") {
      skipped.push(run.id);
      continue;
    }
    embeddedRunner().submit(run.id, embeddedExecutor(database));
    resumed.push(run.id);
  }
  return { runner, resumed, skipped };
}
