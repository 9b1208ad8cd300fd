// Use cases behind `strop optimize` and `strop eval`: check everything, store the inputs and a run (in the
// operator's project, audited as the system actor "cli"), then execute the stored run in this process
// (lib/services/run-execution.ts: the same path the app's runners take, so a CLI run that stops resumes
// with `strop runs resume <id>`).
import path from "node:path";
import { actorOf } from "@/lib/auth/principal";
import { AppError, NotFoundError } from "@/lib/core/errors";
import type { EvaluationReport } from "@/lib/core/evaluation";
import type { ProgressSink } from "@/lib/core/ports";
import type { OptimizationReport } from "@/lib/core/report";
import type { PromptState } from "@/lib/core/types";
import {
  createRun,
  type Db,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  getPromptVersion,
  getTaskByName,
  isDatabaseError,
  type RunKind,
  upsertTask,
} from "@/lib/db";
import { createDbStepRunner } from "@/lib/runner/db-step-runner";
import { executeLeased } from "@/lib/runner/engine";
import type { RunReport } from "@/lib/validation/run-state";
import { loadDataset } from "../dataset-file";
import { taskFileDatasetNames } from "../dataset-names";
import { optimizationRunJob } from "../jobs/optimization-run";
import { operatorAccess } from "../operator";
import { executeRun, type RunOutcome, rememberDatasetExamples } from "../run-execution";
import { loadTaskFile } from "../task-file";
import { buildRunContext, promptFromTask } from "./context";

export interface RunOptions {
  db: Db;
  progress?: ProgressSink;
  /** Aborting leaves the run "running": `strop runs resume <id>` continues it. */
  signal?: AbortSignal;
  /** Project slug; the CLI works in "default". */
  project?: string;
}

/** Everything a task file names, checked and loaded; throws InputError before any write. */
async function prepare(
  db: Db,
  file: string,
  prompt?: (task: ReturnType<typeof promptFromTask>) => PromptState,
  project?: string,
) {
  // Stored model/metric configurations the task file names are the project's (ML settings).
  const loaded = await loadTaskFile(file, { db, project });
  const basePrompt = promptFromTask(loaded.task);
  const context = buildRunContext(file, loaded.task, prompt ? prompt(basePrompt) : basePrompt, { db });
  try {
    const dataset = await loadDataset(loaded.datasetPath, loaded.task.dataset, context.variables);
    return { loaded, context, dataset };
  } catch (error) {
    await context.llm.close();
    throw error;
  }
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** Runs `fn` on the prepared inputs, then closes the LLM gateway built to check them. */
async function closing<T>(prepared: Prepared, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await prepared.context.llm.close();
  }
}

async function storeInputs(db: Db, prepared: Prepared, projectSlug: string) {
  const { loaded, context, dataset } = prepared;
  const access = await operatorAccess(db, projectSlug);
  const project = access.project;
  const task = await upsertTask(db, project.id, {
    name: loaded.task.name,
    description: loaded.task.description,
  });
  const { version: baseline } = await findOrCreatePromptVersion(db, task.id, context.prompt, {
    source: "file",
  });
  const { datasetVersion } = await findOrCreateDatasetVersion(db, project.id, {
    ...taskFileDatasetNames(loaded.datasetPath),
    sourceName: loaded.datasetPath,
    expectedColumn: loaded.task.dataset.expected,
    columns: dataset.columns,
    contentHash: dataset.contentHash,
    examples: dataset.examples.map((e, i) => ({
      key: e.id,
      rowNumber: i + 1,
      input: e.input,
      expected: e.expected,
    })),
  });
  rememberDatasetExamples(datasetVersion.id, dataset.examples);
  return { access, project, task, baseline, datasetVersion };
}

/** Stores the inputs and a queued run of `kind` whose config is the checked task file. */
async function storeRun(
  file: string,
  kind: RunKind,
  options: RunOptions,
  prompt?: PromptState,
  extra: { version?: number } = {},
): Promise<string> {
  const { db } = options;
  const prepared = await prepare(db, file, prompt ? () => prompt : undefined, options.project);
  return closing(prepared, async () => {
    const stored = await storeInputs(db, prepared, options.project ?? "default");
    const run = await createRun(
      db,
      {
        projectId: stored.project.id,
        taskId: stored.task.id,
        kind,
        baselineVersionId: stored.baseline.id,
        datasetVersionId: stored.datasetVersion.id,
        config: { origin: "cli", taskFile: path.resolve(file), ...extra, ...prepared.loaded.task },
        seed: prepared.loaded.task.seed,
      },
      { actor: actorOf(stored.access.principal), organizationId: stored.project.organization.id },
    );
    return run.id;
  });
}

/** The outcome of a run this process executed; throws what failed it, or says it did not finish. */
export function settledOutcome(outcome: RunOutcome): RunOutcome & { report: RunReport } {
  if (outcome.status === "failed") {
    // The stored message, not a database error's own (it names queries and call sites).
    if (outcome.cause && !isDatabaseError(outcome.cause)) throw outcome.cause;
    const hint = `; continue it with \`strop runs resume ${outcome.runId}\``;
    throw new AppError(
      "run_failed",
      `run ${outcome.runId} failed: ${outcome.error ?? "unknown error"}${hint}`,
      500,
    );
  }
  if (outcome.status === "cancelled") {
    throw new AppError("cancelled", `run ${outcome.runId} was cancelled`, 409);
  }
  const { report } = outcome;
  if (outcome.status === "interrupted" || report === null) {
    throw new AppError(
      "interrupted",
      `run ${outcome.runId} was interrupted; continue it with \`strop runs resume ${outcome.runId}\``,
      409,
    );
  }
  return { ...outcome, report };
}

/**
 * Executes stored run `runId` in this process with database checkpoints (a resumed run skips finished
 * steps), holding its lease: a run another process executes is a 409, not a second execution.
 */
export function executeRunHere(
  db: Db,
  runId: string,
  options: { progress?: ProgressSink; signal?: AbortSignal } = {},
): Promise<RunOutcome> {
  return executeLeased(optimizationRunJob, db, runId, (lost, lease) =>
    executeRun(db, runId, lease.steps(createDbStepRunner(db, runId)), anySignal(options.signal, lost), {
      progress: options.progress,
    }),
  );
}

const anySignal = (a: AbortSignal | undefined, b: AbortSignal) => (a ? AbortSignal.any([a, b]) : b);

export interface OptimizationOutcome {
  runId: string;
  report: OptimizationReport;
  baselineVersion: number;
  /** The version the winner was saved as; null when the baseline stayed best. */
  savedVersion: number | null;
}

export async function optimizeTaskFile(file: string, options: RunOptions): Promise<OptimizationOutcome> {
  const runId = await storeRun(file, "optimize", options);
  const outcome = settledOutcome(await executeRunHere(options.db, runId, options));
  const { report } = outcome;
  if (report.kind !== "optimize")
    throw new Error(`run ${runId}: an optimization ended with an ${report.kind} report`);
  return {
    runId,
    report,
    baselineVersion: outcome.baselineVersion,
    savedVersion: outcome.savedVersion,
  };
}

export interface EvaluationOutcome {
  runId: string;
  report: EvaluationReport;
  version: number;
}

/** Scores the task file's prompt, or stored version `version` of its task, on the whole dataset. */
export async function evaluateTaskFile(
  file: string,
  options: RunOptions & { version?: number },
): Promise<EvaluationOutcome> {
  const { db } = options;
  let storedPrompt: PromptState | undefined;
  if (options.version !== undefined) {
    const loaded = await loadTaskFile(file, { db, project: options.project });
    const { project } = await operatorAccess(db, options.project ?? "default");
    const task = await getTaskByName(db, project.id, loaded.task.name);
    const version = task && (await getPromptVersion(db, task.id, options.version));
    if (!version)
      throw new NotFoundError(`task "${loaded.task.name}" has no prompt version ${options.version}`);
    storedPrompt = {
      systemPrompt: version.systemPrompt,
      outputPrompt: version.outputPrompt,
      demos: version.demos,
      params: version.params,
    };
  }
  const extra = options.version !== undefined ? { version: options.version } : {};
  const runId = await storeRun(file, "eval", options, storedPrompt, extra);
  const { report, baselineVersion } = settledOutcome(await executeRunHere(db, runId, options));
  if (report.kind !== "eval")
    throw new Error(`run ${runId}: an evaluation ended with an ${report.kind} report`);
  return { runId, report, version: baselineVersion };
}
