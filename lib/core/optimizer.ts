// The optimizer port: a strategy proposes refined prompts from what the last evaluation showed.
import type { LlmPort } from "./ports";
import type { Example, Interval, PromptState, Variables } from "./types";

export interface Failure {
  exampleId: string;
  input: Variables;
  expected: string;
  actual: string | null;
  error: string | null;
  score: number;
  /** Per-metric scores, with reasons where a metric gives one. */
  metrics: Record<string, { score: number; reason?: string }>;
}

export interface TriedPrompt {
  iteration: number;
  prompt: PromptState;
  rationale: string;
  trainScore: number;
  validationScore: number | null;
  accepted: boolean;
}

export interface OptimizerInput {
  iteration: number;
  /** How many candidates to propose. */
  k: number;
  incumbent: PromptState;
  /** Variables every prompt must keep using (and may not go beyond). */
  variables: string[];
  summary: { score: Interval; metrics: Record<string, number>; failed: number };
  /** The lowest-scoring examples of this iteration, worst first. */
  failures: Failure[];
  history: TriedPrompt[];
  /** Training examples a strategy may draw few-shot demos from. */
  trainExamples: Example[];
  /** Deterministic randomness in [0, 1). */
  random: () => number;
}

export interface Candidate {
  prompt: PromptState;
  rationale: string;
}

export interface OptimizerContext {
  llm: LlmPort;
  /** The optimizer model, "provider:model". */
  model: string;
  signal?: AbortSignal;
}

export interface Proposal {
  candidates: Candidate[];
  /** Attempts whose output could not be used (malformed, invalid template), kept for the record. */
  rejected: { reason: string; raw: string }[];
}

export interface OptimizerStrategy {
  name: string;
  description: string;
  propose(input: OptimizerInput, ctx: OptimizerContext): Promise<Proposal>;
}
