// Use cases behind `strop optimize` and `strop eval`: check everything, store the inputs, run the
// workflow with DB checkpoints, record what happened.
import path from "node:path";
import { NotFoundError } from "@/lib/core/errors";
import { type EvaluationReport, runEvaluation } from "@/lib/core/evaluation";
import type { Progress, ProgressSink } from "@/lib/core/ports";
import type { IterationRecord, OptimizationReport } from "@/lib/core/report";
import type { PromptState, ScoredExample } from "@/lib/core/types";
import { type RunRecorder, runOptimization } from "@/lib/core/workflow";
import {
  createPromptVersion,
  createRun,
  type Db,
  ensureProject,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  finishRun,
  getPromptVersion,
  getTaskByName,
  markRunStarted,
  updateRunProgress,
  upsertCandidates,
  upsertExampleResults,
  upsertIteration,
  upsertTask,
} from "@/lib/db";
import { createDbStepRunner } from "@/lib/runner/db-step-runner";
import { loadDataset } from "./dataset-file";
import { buildRunContext, promptFromTask } from "./run-context";
import { loadTaskFile } from "./task-file";

export interface RunOptions {
  db: Db;
  progress?: ProgressSink;
  signal?: AbortSignal;
  /** Project slug; the CLI works in "default". */
  project?: string;
}

const systemClock = { now: () => Date.now() };

/** Persists progress at most twice a second: the sink sees every update, the database a sample. */
function progressWriter(db: Db, runId: string, sink?: ProgressSink) {
  let last = 0;
  let latest: Progress | null = null;
  const write = (p: Progress) =>
    updateRunProgress(db, runId, p, {
      calls: p.calls,
      inputTokens: p.inputTokens,
      outputTokens: p.outputTokens,
      costUsd: p.costUsd,
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

function recorderFor(db: Db, runId: string): RunRecorder {
  return {
    results: (phase, split, results: ScoredExample[]) =>
      upsertExampleResults(db, runId, phase, split, results),
    async iteration(record: IterationRecord) {
      await upsertIteration(db, runId, {
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
      });
      await upsertCandidates(
        db,
        runId,
        record.index,
        record.candidates.map((c) => ({
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
        })),
      );
    },
  };
}

/** Everything a task file names, checked and loaded; throws InputError before any write. */
async function prepare(file: string, prompt?: (task: ReturnType<typeof promptFromTask>) => PromptState) {
  const loaded = await loadTaskFile(file);
  const basePrompt = promptFromTask(loaded.task);
  const context = buildRunContext(file, loaded.task, prompt ? prompt(basePrompt) : basePrompt);
  const dataset = await loadDataset(loaded.datasetPath, loaded.task.dataset, context.variables);
  return { loaded, context, dataset };
}

async function storeInputs(db: Db, prepared: Awaited<ReturnType<typeof prepare>>, projectSlug: string) {
  const { loaded, context, dataset } = prepared;
  const project = await ensureProject(db, projectSlug);
  const task = await upsertTask(db, project.id, {
    name: loaded.task.name,
    description: loaded.task.description,
  });
  const { version: baseline } = await findOrCreatePromptVersion(db, task.id, context.prompt, {
    source: "file",
  });
  const { datasetVersion } = await findOrCreateDatasetVersion(db, project.id, {
    name: path.basename(loaded.datasetPath),
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
  return { project, task, baseline, datasetVersion };
}

function failure(error: unknown) {
  return { status: "failed" as const, error: error instanceof Error ? error.message : String(error) };
}

export interface OptimizationOutcome {
  runId: string;
  report: OptimizationReport;
  baselineVersion: number;
  /** The version the winner was saved as; null when the baseline stayed best. */
  savedVersion: number | null;
}

export async function optimizeTaskFile(file: string, options: RunOptions): Promise<OptimizationOutcome> {
  const prepared = await prepare(file);
  const { db } = options;
  const stored = await storeInputs(db, prepared, options.project ?? "default");
  const run = await createRun(db, {
    projectId: stored.project.id,
    taskId: stored.task.id,
    kind: "optimize",
    baselineVersionId: stored.baseline.id,
    datasetVersionId: stored.datasetVersion.id,
    config: { taskFile: path.resolve(file), ...prepared.loaded.task },
    seed: prepared.loaded.task.seed,
  });
  await markRunStarted(db, run.id);
  const progress = progressWriter(db, run.id, options.progress);
  try {
    const report = await runOptimization(prepared.context.settings, prepared.dataset.examples, {
      llm: prepared.context.llm,
      steps: createDbStepRunner(db, run.id),
      clock: systemClock,
      scorer: prepared.context.scorer,
      optimizer: prepared.context.optimizer,
      progress: progress.sink,
      recorder: recorderFor(db, run.id),
      signal: options.signal,
    });
    await progress.flush();
    const saved = report.bestOrigin
      ? await createPromptVersion(db, stored.task.id, report.best, {
          source: "optimization",
          runId: run.id,
          note: `run ${run.id}: test ${report.test.baseline.mean.toFixed(3)} -> ${report.test.best.mean.toFixed(3)}`,
        })
      : null;
    await finishRun(db, run.id, {
      status: "succeeded",
      report,
      bestVersionId: saved?.id ?? stored.baseline.id,
    });
    return {
      runId: run.id,
      report,
      baselineVersion: stored.baseline.version,
      savedVersion: saved?.version ?? null,
    };
  } catch (error) {
    await progress.flush();
    await finishRun(db, run.id, failure(error));
    throw error;
  }
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
    const loaded = await loadTaskFile(file);
    const project = await ensureProject(db, options.project ?? "default");
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
  const prepared = await prepare(file, storedPrompt ? () => storedPrompt : undefined);
  const stored = await storeInputs(db, prepared, options.project ?? "default");
  const run = await createRun(db, {
    projectId: stored.project.id,
    taskId: stored.task.id,
    kind: "eval",
    baselineVersionId: stored.baseline.id,
    datasetVersionId: stored.datasetVersion.id,
    config: { taskFile: path.resolve(file), version: stored.baseline.version, ...prepared.loaded.task },
    seed: prepared.loaded.task.seed,
  });
  await markRunStarted(db, run.id);
  const progress = progressWriter(db, run.id, options.progress);
  try {
    const report = await runEvaluation(
      {
        prompt: prepared.context.prompt,
        taskModel: prepared.context.settings.taskModel,
        seed: prepared.loaded.task.seed,
      },
      prepared.dataset.examples,
      {
        llm: prepared.context.llm,
        steps: createDbStepRunner(db, run.id),
        clock: systemClock,
        scorer: prepared.context.scorer,
        progress: progress.sink,
        onResults: (results) => upsertExampleResults(db, run.id, "eval/all", "all", results),
        signal: options.signal,
      },
    );
    await progress.flush();
    await finishRun(db, run.id, { status: "succeeded", report, bestVersionId: stored.baseline.id });
    return { runId: run.id, report, version: stored.baseline.version };
  } catch (error) {
    await progress.flush();
    await finishRun(db, run.id, failure(error));
    throw error;
  }
}
