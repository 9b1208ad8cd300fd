// What an optimization run reports: per-iteration history and the held-out verdict.
import type { Usage } from "./meter";
import type { Interval, PromptState } from "./types";

export type StopReason =
  | "target_reached"
  | "patience"
  | "max_iterations"
  | "no_failures"
  | "budget_calls"
  | "budget_tokens"
  | "budget_costUsd"
  | "budget_wallSeconds";

export interface CandidateRecord {
  index: number;
  prompt: PromptState;
  rationale: string;
  status: "evaluated" | "rejected";
  rejectReason?: string;
  /** Mean score on this iteration's training minibatch. */
  trainScore: number | null;
  /** Mean score on the validation split, when the candidate got that far. */
  validationScore: number | null;
  /** Paired bootstrap interval of the validation gain over the incumbent. */
  gain: Interval | null;
  accepted: boolean;
}

export interface IterationRecord {
  index: number;
  /** Training examples used this iteration. */
  trainExamples: number;
  validationExamples: number;
  incumbentTrain: Interval;
  incumbentValidation: number;
  candidates: CandidateRecord[];
  /** Index of the accepted candidate, or null when the incumbent stayed. */
  accepted: number | null;
  /** Optimizer attempts whose output could not be used. */
  rejectedProposals: { reason: string }[];
  usage: Usage;
}

export interface OptimizationReport {
  stopReason: StopReason;
  iterations: IterationRecord[];
  baseline: PromptState;
  best: PromptState;
  /** Where the best prompt came from; null when the baseline was never beaten. */
  bestOrigin: { iteration: number; candidate: number } | null;
  splits: { train: number; validation: number; test: number; folds: number | null };
  validation: { baseline: number; best: number };
  test: {
    baseline: Interval;
    best: Interval;
    gain: Interval;
    /** False when the budget ran out before every test example was scored (n says how many were). */
    complete: boolean;
  };
  usage: Usage;
  elapsedMs: number;
}
