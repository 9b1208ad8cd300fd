// Running a prompt over examples and scoring the outputs, in durable batches.
import { mapConcurrent } from "./concurrency";
import { emptyUsage, meteredLlm, type Usage } from "./meter";
import type { LlmPort, StepRunner } from "./ports";
import { buildMessages, promptKey } from "./prompt";
import type { Example, ExampleOutput, MetricScore, PromptState, ScoredExample } from "./types";

/** Scores one output; LLM-based metrics call through `llm` so their usage is counted. */
export type Scorer = (
  input: { output: string; expected: string; example: Example },
  llm: LlmPort,
) => Promise<{ score: number; metrics: Record<string, MetricScore> }>;

export interface EvaluationContext {
  llm: LlmPort;
  steps: StepRunner;
  model: { id: string; concurrency: number };
  scorer: Scorer;
  batchSize: number;
  /** Results already known, keyed by `${promptKey}:${exampleId}`. */
  cache: Map<string, ScoredExample>;
  /** Called before each batch: throws to stop (budget spent, cancelled). */
  beforeBatch: () => void;
  /** Receives the usage of every finished step, replayed ones included. */
  onUsage: (usage: Usage) => void;
  /**
   * Called inside each step's body with what the step used and its last failed call's message, before
   * the step finishes: throws to fail the step (the error budget).
   */
  checkStep?: (usage: Usage, lastError: string | null) => void;
  /** Receives the number of examples a finished (inferred and scored) batch covered. */
  onBatch: (label: string, examples: number) => void;
  signal?: AbortSignal;
}

interface StepResult<T> {
  value: T;
  usage: Usage;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` as a durable step whose LLM usage travels with its result (and so survives a replay). */
export async function meteredStep<T>(
  ctx: EvaluationContext,
  id: string,
  fn: (llm: LlmPort) => Promise<T>,
): Promise<T> {
  ctx.beforeBatch();
  const result = await ctx.steps.run<StepResult<T>>(id, async () => {
    const usage = emptyUsage();
    let lastError: string | null = null;
    const value = await fn(
      meteredLlm(ctx.llm, usage, (error) => {
        lastError = errorMessage(error);
      }),
    );
    ctx.checkStep?.(usage, lastError);
    return { value, usage };
  });
  ctx.onUsage(result.usage);
  return result.value;
}

async function inferOne(
  llm: LlmPort,
  ctx: EvaluationContext,
  prompt: PromptState,
  example: Example,
): Promise<ExampleOutput> {
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
    };
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
    };
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
    const scored = await ctx.scorer({ output: output.output, expected: example.expected, example }, llm);
    return { ...output, ...scored };
  } catch (error) {
    return { ...output, score: 0, metrics: {}, error: `scoring failed: ${errorMessage(error)}` };
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export interface EvaluationLabels {
  /** Step id prefix of the inference batches, e.g. "iter-2/refined-inference/cand-1". */
  inference: string;
  /** Step id prefix of the scoring batches, e.g. "iter-2/comparative-evaluation/cand-1". */
  scoring: string;
}

/**
 * Scores `prompt` on `examples`, reusing known results. Inference and scoring are separate durable
 * steps per batch, so a crash loses at most one batch of work. Results keep the order of `examples`.
 */
export async function evaluatePrompt(
  ctx: EvaluationContext,
  labels: EvaluationLabels,
  prompt: PromptState,
  examples: readonly Example[],
): Promise<ScoredExample[]> {
  const key = promptKey(prompt);
  const missing = examples.filter((example) => !ctx.cache.has(`${key}:${example.id}`));
  const known = examples.length - missing.length;
  if (known > 0) ctx.onBatch(labels.scoring, known);
  const batches = chunk(missing, ctx.batchSize);
  for (const [index, batch] of batches.entries()) {
    const outputs = await meteredStep(ctx, `${labels.inference}/batch-${index}`, (llm) =>
      mapConcurrent(batch, ctx.model.concurrency, (example) => inferOne(llm, ctx, prompt, example)),
    );
    const scored = await meteredStep(ctx, `${labels.scoring}/batch-${index}`, (llm) =>
      mapConcurrent(batch, ctx.model.concurrency, (example, i) =>
        scoreOne(llm, ctx, outputs[i] as ExampleOutput, example),
      ),
    );
    ctx.onBatch(labels.scoring, batch.length);
    for (const result of scored) ctx.cache.set(`${key}:${result.exampleId}`, result);
  }
  return examples.map((example) => ctx.cache.get(`${key}:${example.id}`) as ScoredExample);
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
