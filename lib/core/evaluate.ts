// Running prompts over examples and scoring the outputs, in durable batches. Each batch is one step:
// it calls the task model (and LLM-judged metrics) for its examples, stores the scored results through
// the recorder and returns counts only. Batches are pipelined: up to `window` steps are in flight, so the
// next batch's calls start while the previous batch's slowest calls finish; results are taken in batch
// order, so totals, budgets and step ids are the same however the calls interleave.
import { mapConcurrent } from "./concurrency";
import { addUsage, emptyUsage, meteredLlm, type Usage } from "./meter";
import type { LlmPort, StepRunner } from "./ports";
import { buildMessages, promptKey } from "./prompt";
import type { ResultStore, Split } from "./recorder";
import type { Example, ExampleOutput, MetricScore, PromptState, ScoredExample } from "./types";

/**
 * Batch steps in flight by default. With two, a phase whose jobs are single short batches (a candidate's
 * minibatch) drained between pairs of batches: four keep the model busy across the candidates of an
 * iteration (docs/benchmarks.md (f): the optimize run's calls from 1.27× to 1.15× their ideal).
 */
export const DEFAULT_WINDOW = 4;

/** Scores one output; LLM-based metrics call through `llm` so their usage is counted. */
export type Scorer = (
  input: { output: string; expected: string; example: Example },
  llm: LlmPort,
  /** The run's: a cancel (or a lost lease) aborts metric calls (a judge, embeddings) in flight too. */
  signal?: AbortSignal,
) => Promise<{ score: number; metrics: Record<string, MetricScore> }>;

export interface ProgressPort {
  begin(step: string, iteration: number, total: number): void;
  advance(count: number): void;
}

export interface EvaluationContext {
  llm: LlmPort;
  steps: StepRunner;
  recorder: ResultStore;
  model: { id: string; concurrency: number };
  scorer: Scorer;
  batchSize: number;
  /** Batch steps in flight at once (default DEFAULT_WINDOW; 1: each batch waits for the previous one). */
  window?: number;
  /** Calls one example costs (inference plus LLM-judged metrics): what a batch in flight commits. */
  callsPerExample: number;
  /** Where the results recorded so far are: a prompt's result on an example is never paid for twice. */
  known: ResultIndex;
  /** Called before each step with the calls committed by batches in flight: throws to stop. */
  beforeBatch: (pendingCalls: number) => void;
  /** Receives the usage of every finished step, replayed ones included, in step order. */
  onUsage: (usage: Usage) => void;
  /** The run's totals of finished steps (what a step's error-budget check adds its own usage to). */
  totals: Usage;
  /**
   * Called inside each step's body with the run's totals when the step started plus what the step used,
   * and its last failed call's message: throws to fail the step (the error budget).
   */
  checkStep?: (usage: Usage, lastError: string | null) => void;
  /** The last failed call's message of the finished steps: the error budget's cause when a step fails. */
  lastError?: string | null;
  progress: ProgressPort;
  signal?: AbortSignal;
}

interface StepResult<T> {
  value: T;
  usage: Usage;
  /** The step's last failed call's message (absent in checkpoints written before it was kept). */
  lastError?: string | null;
}

/** Counts a finished step (replayed or not) into the run's totals. */
function finished<T>(ctx: EvaluationContext, result: StepResult<T>): void {
  ctx.onUsage(result.usage);
  if (result.lastError) ctx.lastError = result.lastError;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` as a durable step whose LLM usage travels with its (small) result, so it survives a replay. */
async function runMetered<T>(
  ctx: EvaluationContext,
  id: string,
  fn: (llm: LlmPort) => Promise<T>,
): Promise<StepResult<T>> {
  // The totals when the step starts: with batches in flight, what they will add is not known yet.
  const before = { ...ctx.totals };
  const failedBefore = ctx.lastError ?? null;
  return ctx.steps.run<StepResult<T>>(id, async () => {
    const usage = emptyUsage();
    let lastError: string | null = null;
    const value = await fn(
      meteredLlm(ctx.llm, usage, (error) => {
        lastError = errorMessage(error);
      }),
    );
    ctx.checkStep?.(addUsage({ ...before }, usage), lastError ?? failedBefore);
    return lastError === null ? { value, usage } : { value, usage, lastError };
  });
}

/** One durable step with the optimizer (or any) model: checked against the budgets first. */
export async function meteredStep<T>(
  ctx: EvaluationContext,
  id: string,
  fn: (llm: LlmPort) => Promise<T>,
): Promise<T> {
  ctx.beforeBatch(0);
  const result = await runMetered(ctx, id, fn);
  finished(ctx, result);
  return result.value;
}

async function inferOne(llm: LlmPort, ctx: EvaluationContext, prompt: PromptState, example: Example) {
  const started = Date.now();
  try {
    const response = await llm.generate({
      model: ctx.model.id,
      messages: buildMessages(prompt, example.input),
      params: prompt.params,
      signal: ctx.signal,
    });
    return {
      exampleId: example.id,
      output: response.text,
      error: null,
      usage: response.usage,
      costUsd: response.costUsd,
      latencyMs: response.latencyMs,
      cached: response.cached,
    } satisfies ExampleOutput;
  } catch (error) {
    // One failed call fails this example only; the run goes on and the failure is recorded.
    return {
      exampleId: example.id,
      output: null,
      error: errorMessage(error),
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
      latencyMs: Date.now() - started,
      cached: false,
    } satisfies ExampleOutput;
  }
}

async function scoreOne(
  llm: LlmPort,
  ctx: EvaluationContext,
  output: ExampleOutput,
  example: Example,
): Promise<ScoredExample> {
  if (output.output === null) return { ...output, score: 0, metrics: {} };
  try {
    const scored = await ctx.scorer(
      { output: output.output, expected: example.expected, example },
      llm,
      ctx.signal,
    );
    return { ...output, ...scored };
  } catch (error) {
    return { ...output, score: 0, metrics: {}, error: `scoring failed: ${errorMessage(error)}` };
  }
}

/** Where recorded results are, by prompt (its key) and example id. Rebuilt by replay, like the totals. */
export class ResultIndex {
  private readonly byPrompt = new Map<string, Map<string, string>>();

  phaseOf(promptKey: string, exampleId: string): string | undefined {
    return this.byPrompt.get(promptKey)?.get(exampleId);
  }

  record(promptKey: string, examples: readonly Example[], phase: string): void {
    const phases = this.byPrompt.get(promptKey) ?? new Map<string, string>();
    this.byPrompt.set(promptKey, phases);
    for (const example of examples) phases.set(example.id, phase);
  }

  /** Where `prompt`'s results on `examples` are; null unless every one is recorded. */
  refOf(prompt: PromptState, examples: readonly Example[]): ResultRef | null {
    const phases = this.byPrompt.get(promptKey(prompt));
    const ref: ResultRef = { ids: [], phases: [] };
    for (const example of examples) {
      const phase = phases?.get(example.id);
      if (phase === undefined) return null;
      ref.ids.push(example.id);
      ref.phases.push(phase);
    }
    return ref;
  }
}

/** One prompt on a set of examples, recorded under `phase`. */
export interface EvaluationJob {
  prompt: PromptState;
  examples: readonly Example[];
  phase: string;
  split: Split;
  /** The step id of the job's batch `index` (lib/core/step-ids.ts). */
  step: (index: number) => string;
  /** What progress reports while the job's batches finish. */
  progress: { step: string; iteration: number };
}

/** Where each example's result of one evaluation is recorded, in the order of its examples. */
export interface ResultRef {
  ids: string[];
  phases: string[];
}

/** What a batch step returns: counts, never the outputs (they are in the recorder). */
export interface BatchSummary {
  phase: string;
  examples: number;
  failed: number;
}

interface Batch {
  job: number;
  step: string;
  items: Example[];
}

type Settled = { ok: true; result: StepResult<BatchSummary> } | { ok: false; error: unknown };

function runBatch(ctx: EvaluationContext, job: EvaluationJob, batch: Batch): Promise<Settled> {
  const body = async (llm: LlmPort): Promise<BatchSummary> => {
    const scored = await mapConcurrent(batch.items, ctx.model.concurrency, async (example) =>
      scoreOne(llm, ctx, await inferOne(llm, ctx, job.prompt, example), example),
    );
    // Stored before the step returns: a checkpoint never points at results that were not written.
    await ctx.recorder.results(job.phase, job.split, scored);
    return {
      phase: job.phase,
      examples: scored.length,
      failed: scored.filter((r) => r.error !== null).length,
    };
  };
  return runMetered(ctx, batch.step, body).then(
    (result) => ({ ok: true, result }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/**
 * Evaluates each job's prompt on its examples, reusing results already recorded for the same prompt
 * and example, with up to `ctx.window` batch steps in flight across the jobs. Stops before a batch when
 * `beforeBatch` throws, after the batches in flight have finished and been counted. Returns where each
 * job's results are.
 */
export async function evaluateJobs(
  ctx: EvaluationContext,
  jobs: readonly EvaluationJob[],
): Promise<ResultRef[]> {
  const keys = jobs.map((job) => promptKey(job.prompt));
  const refs: ResultRef[] = [];
  const batches: Batch[] = [];
  const knownCounts: number[] = [];
  for (const [j, job] of jobs.entries()) {
    const key = keys[j] as string;
    const phases = job.examples.map((e) => ctx.known.phaseOf(key, e.id) ?? job.phase);
    refs.push({ ids: job.examples.map((e) => e.id), phases });
    const missing = job.examples.filter((e) => ctx.known.phaseOf(key, e.id) === undefined);
    knownCounts.push(job.examples.length - missing.length);
    for (let start = 0, index = 0; start < missing.length; start += ctx.batchSize, index++) {
      batches.push({ job: j, step: job.step(index), items: missing.slice(start, start + ctx.batchSize) });
    }
  }
  // Progress follows the jobs in order, each starting from the results it reused: the first job begins
  // at once, a later one when its first batch is taken (or, with nothing left to run, a later job's).
  let reached = -1;
  const reach = (j: number) => {
    for (; reached < j; ) {
      const job = jobs[++reached] as EvaluationJob;
      ctx.progress.begin(job.progress.step, job.progress.iteration, job.examples.length);
      ctx.progress.advance(knownCounts[reached] as number);
    }
  };

  if (jobs.length > 0) reach(0);
  const window = Math.max(1, ctx.window ?? DEFAULT_WINDOW);
  const inFlight: { batch: Batch; settled: Promise<Settled> }[] = [];
  // A failed step outranks a stop before a batch: the run must fail rather than end on its budget.
  const errors: { failed?: { error: unknown }; stopped?: { error: unknown } } = {};
  const takeOldest = async () => {
    const entry = inFlight.shift() as (typeof inFlight)[number];
    const outcome = await entry.settled;
    if (!outcome.ok) {
      errors.failed ??= { error: outcome.error };
      return;
    }
    finished(ctx, outcome.result);
    ctx.known.record(
      keys[entry.batch.job] as string,
      entry.batch.items,
      (jobs[entry.batch.job] as EvaluationJob).phase,
    );
    reach(entry.batch.job);
    ctx.progress.advance(entry.batch.items.length);
  };

  for (const batch of batches) {
    while (inFlight.length >= window) await takeOldest();
    if (errors.failed) break;
    try {
      ctx.beforeBatch(inFlight.reduce((sum, e) => sum + e.batch.items.length * ctx.callsPerExample, 0));
    } catch (error) {
      errors.stopped = { error };
      break;
    }
    inFlight.push({ batch, settled: runBatch(ctx, jobs[batch.job] as EvaluationJob, batch) });
  }
  while (inFlight.length > 0) await takeOldest();
  const thrown = errors.failed ?? errors.stopped;
  if (thrown) throw thrown.error;
  reach(jobs.length - 1);
  return refs;
}

/** The recorded results of `ref`, in its order (read through the recorder: call inside a step). */
export async function readResults(recorder: ResultStore, ref: ResultRef): Promise<ScoredExample[]> {
  const byPhase = new Map<string, string[]>();
  ref.ids.forEach((id, i) => {
    const phase = ref.phases[i] as string;
    const ids = byPhase.get(phase);
    if (ids) ids.push(id);
    else byPhase.set(phase, [id]);
  });
  const found = new Map<string, ScoredExample>();
  for (const [phase, ids] of byPhase) {
    for (const [id, result] of await recorder.read(phase, ids)) found.set(`${phase}\u0000${id}`, result);
  }
  return ref.ids.map((id, i) => {
    const result = found.get(`${ref.phases[i]}\u0000${id}`);
    if (!result) throw new Error(`no recorded result for example "${id}" in phase "${ref.phases[i]}"`);
    return result;
  });
}

/** Mean of each metric over the results that have it. */
export function metricMeans(results: readonly ScoredExample[]): Record<string, number> {
  const sums: Record<string, { total: number; n: number }> = {};
  for (const result of results) {
    for (const [name, metric] of Object.entries(result.metrics)) {
      const entry = sums[name] ?? { total: 0, n: 0 };
      entry.total += metric.score;
      entry.n++;
      sums[name] = entry;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([name, { total, n }]) => [name, total / n]));
}
