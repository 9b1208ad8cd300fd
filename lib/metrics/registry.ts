// The metric registry: one line per metric, option validation and weighted scoring of one example.
import type { LlmPort } from "@/lib/core/ports";
import type { MetricScore } from "@/lib/core/types";
import { bleu } from "./bleu";
import { contains } from "./contains";
import { embeddingSimilarity } from "./embedding-similarity";
import { MetricConfigError, type MetricConfigIssue, MetricScoringError, UnknownMetricError } from "./errors";
import { exactMatch } from "./exact-match";
import { jsonMatch } from "./json-match";
import { llmJudge } from "./llm-judge";
import { regex } from "./regex";
import { rougeLMetric } from "./rouge-l";
import { tokenF1Metric } from "./token-f1";
import type { MetricContext, MetricDefinition, MetricInput } from "./types";

export const metrics = {
  exact_match: exactMatch,
  contains,
  regex,
  json_match: jsonMatch,
  token_f1: tokenF1Metric,
  bleu,
  rouge_l: rougeLMetric,
  embedding_similarity: embeddingSimilarity,
  llm_judge: llmJudge,
} as const;

export type MetricName = keyof typeof metrics;
/** The parsed (defaults applied) options of metric `N`. */
export type MetricOptionsOf<N extends MetricName> =
  (typeof metrics)[N] extends MetricDefinition<infer O> ? O : never;
export type AnyMetricDefinition = MetricDefinition<unknown>;

export const metricNames = Object.keys(metrics) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(metrics, name);
}

/** The metric called `name`; throws `UnknownMetricError` (listing the known names) otherwise. */
export function getMetric<N extends MetricName>(name: N): (typeof metrics)[N];
export function getMetric(name: string): AnyMetricDefinition;
export function getMetric(name: string): AnyMetricDefinition {
  if (!isMetricName(name)) throw new UnknownMetricError(name, metricNames);
  return metrics[name] as AnyMetricDefinition;
}

/** Name, description and whether it calls a model, for docs, the API and the UI. */
export function listMetrics(): { name: MetricName; description: string; usesLlm: boolean }[] {
  return metricNames.map((name) => ({
    name,
    description: metrics[name].description,
    usesLlm: metrics[name].usesLlm,
  }));
}

function describeIssues(issues: MetricConfigIssue[]): string {
  return issues.map((issue) => `${issue.field || "options"}: ${issue.message}`).join("; ");
}

/**
 * Validates `options` (undefined means `{}`) with the metric's schema and applies its defaults.
 * Throws `MetricConfigError` naming the metric and each bad field (the zod issue path inside options).
 */
export function parseMetricOptions<N extends MetricName>(name: N, options: unknown): MetricOptionsOf<N>;
export function parseMetricOptions(name: string, options: unknown): unknown;
export function parseMetricOptions(name: string, options: unknown): unknown {
  const metric = getMetric(name);
  const result = metric.options.safeParse(options ?? {});
  if (result.success) return result.data;
  const issues: MetricConfigIssue[] = result.error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...path, key].join("."), message: "unknown option" }));
    }
    return [{ field: path.join("."), message: issue.message }];
  });
  throw new MetricConfigError(
    `Invalid options for metric "${name}": ${describeIssues(issues)}`,
    name,
    issues,
  );
}

export interface MetricConfigInput {
  name: string;
  /** Default `{}`. */
  options?: unknown;
  /** Positive; default 1. */
  weight?: number;
}

export interface ResolvedMetric {
  /** Key in the scores: the name, or `name#2`, `name#3`… when a metric is configured again. */
  key: string;
  metric: AnyMetricDefinition;
  options: unknown;
  weight: number;
}

/** Validates every config up front (call it when a run starts) and assigns the score keys. */
export function resolveMetrics(configs: readonly MetricConfigInput[]): ResolvedMetric[] {
  if (configs.length === 0) {
    throw new MetricConfigError("No metrics configured: name at least one metric.", "", [
      { field: "metrics", message: "name at least one metric" },
    ]);
  }
  const seen = new Map<string, number>();
  return configs.map((config) => {
    const metric = getMetric(config.name);
    const options = parseMetricOptions(config.name, config.options);
    const weight = config.weight ?? 1;
    if (!Number.isFinite(weight) || weight <= 0) {
      const issue = { field: "weight", message: `must be a positive number, got ${weight}` };
      throw new MetricConfigError(
        `Invalid weight for metric "${config.name}": ${issue.message}`,
        config.name,
        [issue],
      );
    }
    const count = (seen.get(config.name) ?? 0) + 1;
    seen.set(config.name, count);
    return { key: count === 1 ? config.name : `${config.name}#${count}`, metric, options, weight };
  });
}

export interface ExampleScore {
  /** Weighted mean of the metric scores, in [0, 1]. */
  score: number;
  metrics: Record<string, MetricScore>;
}

async function scoreOne(entry: ResolvedMetric, input: MetricInput, ctx: MetricContext): Promise<MetricScore> {
  let result: MetricScore;
  try {
    result = await entry.metric.score(input, entry.options, ctx);
  } catch (error) {
    throw new MetricScoringError(entry.key, error);
  }
  if (typeof result.score !== "number" || !(result.score >= 0 && result.score <= 1)) {
    throw new MetricScoringError(entry.key, new Error(`returned a score outside [0, 1]: ${result.score}`));
  }
  return result;
}

/** Scores one example with already resolved metrics. Any metric failing fails the example (throws). */
export async function scoreResolved(
  resolved: readonly ResolvedMetric[],
  input: MetricInput,
  ctx: MetricContext,
): Promise<ExampleScore> {
  const results = await Promise.all(resolved.map((entry) => scoreOne(entry, input, ctx)));
  const scores: Record<string, MetricScore> = {};
  let weighted = 0;
  let totalWeight = 0;
  resolved.forEach((entry, i) => {
    const result = results[i] as MetricScore;
    scores[entry.key] = result;
    weighted += entry.weight * result.score;
    totalWeight += entry.weight;
  });
  return { score: weighted / totalWeight, metrics: scores };
}

/**
 * Scores one example with every configured metric: `score` is the weighted mean, `metrics` holds each
 * metric's result under its key (`name`, then `name#2`… for repeats). Throws `MetricConfigError` for
 * bad configs and `MetricScoringError` when a metric fails on this example.
 */
export async function scoreExample(
  configs: readonly MetricConfigInput[],
  input: MetricInput,
  ctx: MetricContext,
): Promise<ExampleScore> {
  return scoreResolved(resolveMetrics(configs), input, ctx);
}

/**
 * Validates the configs once and returns a scorer in the shape the evaluation loop calls
 * (`(input, llm) => …`), with the metrics' model calls going through the given port.
 */
export function createScorer(
  configs: readonly MetricConfigInput[],
  context: { defaultModel: string; signal?: AbortSignal },
): (input: MetricInput, llm: LlmPort, signal?: AbortSignal) => Promise<ExampleScore> {
  const resolved = resolveMetrics(configs);
  return (input, llm, signal) =>
    scoreResolved(resolved, input, { llm, ...context, signal: signal ?? context.signal });
}
