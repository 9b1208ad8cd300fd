// Comparing search strategies at matched budgets on procedurally generated task worlds
// (lib/core/worlds): each strategy runs the same loop, with the same splits, seed and call budget, on
// each world; the outcome per strategy is the mean held-out gain and the share of hidden rules its best
// prompt states, with 95% intervals across worlds. Runs in memory (no database): a benchmark, not a run.

import { InputError } from "@/lib/core/errors";
import { normalQuantile } from "@/lib/core/experiments/distributions";
import { createMemoryRecorder } from "@/lib/core/memory-recorder";
import { createMemoryStepRunner } from "@/lib/core/memory-steps";
import type { Progress } from "@/lib/core/ports";
import type { OptimizationReport } from "@/lib/core/report";
import { runOptimization } from "@/lib/core/workflow";
import { generateWorld, type TaskWorld } from "@/lib/core/worlds/generate";
import { rulesDiscovered, worldModels } from "@/lib/core/worlds/models";
import type { Db } from "@/lib/db";
import { isOptimizerName, optimizerNames } from "@/lib/optimizers/registry";
import { taskFileSchema } from "@/lib/validation/task-file";
import { loadDataset } from "./dataset-file";
import { buildRunContext, promptFromTask } from "./runs/context";
import { loadTaskFile } from "./task-file";

export interface WorldResult {
  strategy: string;
  seed: number;
  baseline: number;
  best: number;
  gain: number;
  rulesDiscovered: number;
  calls: number;
  stopReason: string;
  /** Held-out examples both prompts were scored on (fewer than the split when the budget ran out). */
  testExamples: number;
}

export interface ComparisonSettings {
  /** Calls each strategy may spend per world (task and optimizer model together). */
  budgetCalls: number;
  maxIterations: number;
  candidates: number;
}

export const DEFAULT_COMPARISON: ComparisonSettings = { budgetCalls: 1500, maxIterations: 8, candidates: 3 };

export async function runStrategyOnWorld(
  world: TaskWorld,
  strategy: string,
  settings: ComparisonSettings = DEFAULT_COMPARISON,
): Promise<WorldResult> {
  const task = taskFileSchema.parse({
    name: `world-${world.seed}`,
    prompt: {
      system: world.prompt.systemPrompt,
      output: world.prompt.outputPrompt,
      params: world.prompt.params,
    },
    dataset: { path: "generated", expected: "expected", inputs: ["text"] },
    models: { task: { id: "sim:default", concurrency: 16 }, optimizer: { id: "sim:default" } },
    metrics: [{ name: "exact_match" }],
    optimizer: { strategy, candidates: settings.candidates, failures: 8 },
    splits: { validation: 0.25, test: 0.25 },
    stop: { maxIterations: settings.maxIterations, patience: 3 },
    budget: { calls: settings.budgetCalls },
    cache: { enabled: false },
    seed: world.seed,
  });
  const context = buildRunContext(`world ${world.seed}`, task);
  await context.llm.close();
  const llm = worldModels(world);
  const report = await runOptimization(context.settings, world.examples, {
    llm,
    steps: createMemoryStepRunner(),
    recorder: createMemoryRecorder(),
    clock: { now: () => 0 },
    scorer: context.scorer,
    optimizer: context.optimizer,
  });
  return {
    strategy,
    seed: world.seed,
    baseline: report.test.baseline.mean,
    best: report.test.best.mean,
    gain: report.test.gain.mean,
    rulesDiscovered: rulesDiscovered(world, report.best.systemPrompt),
    calls: llm.calls(),
    stopReason: report.stopReason,
    testExamples: report.test.best.n,
  };
}

export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Mean with a 95% normal interval across worlds (n ≥ 30 worlds in the published table). */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  const half = normalQuantile(0.975) * Math.sqrt(variance / Math.max(1, n));
  return { mean, low: mean - half, high: mean + half, n };
}

export interface StrategySummary {
  strategy: string;
  gain: MeanInterval;
  rulesDiscovered: MeanInterval;
  calls: MeanInterval;
}

export async function compareStrategiesOnWorlds(
  strategies: readonly string[],
  seeds: readonly number[],
  settings: ComparisonSettings = DEFAULT_COMPARISON,
  onResult?: (result: WorldResult) => void,
): Promise<{ results: WorldResult[]; summaries: StrategySummary[] }> {
  const results: WorldResult[] = [];
  for (const seed of seeds) {
    const world = generateWorld(seed);
    for (const strategy of strategies) {
      const result = await runStrategyOnWorld(world, strategy, settings);
      results.push(result);
      onResult?.(result);
    }
  }
  const summaries = strategies.map((strategy) => {
    const mine = results.filter((r) => r.strategy === strategy);
    return {
      strategy,
      gain: meanInterval(mine.map((r) => r.gain)),
      rulesDiscovered: meanInterval(mine.map((r) => r.rulesDiscovered)),
      calls: meanInterval(mine.map((r) => r.calls)),
    };
  });
  return { results, summaries };
}

// ---------------------------------------------------------------------------------------------------
// On a task file: the user's own task, dataset and models (`strop compare`).

export interface TaskFileComparisonOptions {
  /** Default: every registered strategy. */
  strategies?: readonly string[];
  /** The matched budget: replaces the task file's budget for every strategy. */
  budget: { calls?: number; tokens?: number; costUsd?: number };
  db?: Db;
  project?: string;
  onProgress?: (strategy: string, progress: Progress) => void;
}

export interface TaskFileComparison {
  strategy: string;
  report: OptimizationReport;
}

/**
 * Runs each strategy on the task file's prompt, dataset, splits and seed with the same budget, in memory
 * (a comparison stores no runs), and returns each report: held-out test scores and gain with their
 * intervals, and the usage (calls, tokens, cost) each spent.
 */
export async function compareStrategiesOnTaskFile(
  file: string,
  options: TaskFileComparisonOptions,
): Promise<TaskFileComparison[]> {
  const loaded = await loadTaskFile(
    file,
    options.db ? { db: options.db, project: options.project } : undefined,
  );
  const out: TaskFileComparison[] = [];
  for (const strategy of options.strategies ?? optimizerNames) {
    if (!isOptimizerName(strategy))
      throw new InputError(`unknown strategy "${strategy}" (known: ${optimizerNames.join(", ")})`);
    const task = {
      ...loaded.task,
      optimizer: { ...loaded.task.optimizer, strategy, options: undefined },
      budget: { ...options.budget },
    };
    const context = buildRunContext(file, task, promptFromTask(task), { db: options.db });
    try {
      const { examples } = await loadDataset(loaded.datasetPath, task.dataset, context.variables);
      const report = await runOptimization(context.settings, examples, {
        llm: context.llm,
        steps: createMemoryStepRunner(),
        recorder: createMemoryRecorder(),
        clock: { now: () => Date.now() },
        scorer: context.scorer,
        optimizer: context.optimizer,
        progress: options.onProgress ? (p) => options.onProgress?.(strategy, p) : undefined,
      });
      out.push({ strategy, report });
    } finally {
      await context.llm.close();
    }
  }
  return out;
}
