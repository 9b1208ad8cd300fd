// Domain types shared by the workflow, optimizers, metrics and adapters. Pure data: JSON-serializable.

/** Input variables of one example, filled into the `{{variables}}` of the output prompt. */
export type Variables = Record<string, string>;

export interface Example {
  id: string;
  input: Variables;
  expected: string;
}

export interface FewShotDemo {
  input: Variables;
  output: string;
}

export interface ModelParams {
  temperature?: number;
  maxOutputTokens?: number;
  topP?: number;
  seed?: number;
}

/** What the optimizer may change: the two prompts, the demos and the model parameters. */
export interface PromptState {
  systemPrompt: string;
  /** Template for the user message, with `{{variable}}` placeholders. */
  outputPrompt: string;
  demos: FewShotDemo[];
  params: ModelParams;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Outcome of one task-model call on one example: an error is a value, never a thrown exception. */
export interface ExampleOutput {
  exampleId: string;
  output: string | null;
  error: string | null;
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
}

export interface MetricScore {
  /** In [0, 1]; higher is better. */
  score: number;
  reason?: string;
  /** Sub-scores, e.g. per JSON field. */
  details?: Record<string, number>;
}

export interface ScoredExample extends ExampleOutput {
  /** Weighted mean of the metric scores; 0 for a failed call. */
  score: number;
  metrics: Record<string, MetricScore>;
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}
