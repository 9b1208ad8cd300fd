// What an optimization run reports: per-iteration history and the held-out verdict.
import type { PromptMeasures } from "./acceptance";
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
  /** With `acceptance.objectives`: cost, latency and length on validation, and the caps it breaks. */
  measures?: PromptMeasures;
  violates?: string[];
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
  /** With `acceptance.objectives`, when a contender was checked: the incumbent's measures on validation. */
  incumbentMeasures?: PromptMeasures;
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

/** A prompt of the run on quality vs cost: the baseline (candidate null) or a validated candidate. */
export interface QualityCostPoint {
  iteration: number;
  candidate: number | null;
  validationScore: number;
  measures: PromptMeasures;
  accepted: boolean;
}

/**
 * The run's Pareto set on validation quality vs cost per call (USD; tokens per call when no call had a
 * price): the prompts no other prompt beats on both, cheapest first. Empty without objectives.
 */
export function qualityCostPareto(report: Pick<OptimizationReport, "iterations">): {
  unit: "usd" | "tokens";
  points: QualityCostPoint[];
} {
  const points: QualityCostPoint[] = [];
  // The baseline's measures: from the first iteration that checked a contender before any acceptance.
  for (const it of report.iterations) {
    if (it.incumbentMeasures) {
      points.push({
        iteration: it.index,
        candidate: null,
        validationScore: it.incumbentValidation,
        measures: it.incumbentMeasures,
        accepted: false,
      });
      break;
    }
    if (it.accepted !== null) break;
  }
  for (const it of report.iterations)
    for (const c of it.candidates)
      if (c.measures && c.validationScore !== null)
        points.push({
          iteration: it.index,
          candidate: c.index,
          validationScore: c.validationScore,
          measures: c.measures,
          accepted: c.accepted,
        });
  const unit = points.some((p) => p.measures.costPerCall > 0) ? "usd" : "tokens";
  const cost = (p: QualityCostPoint) => (unit === "usd" ? p.measures.costPerCall : p.measures.tokensPerCall);
  const dominated = (p: QualityCostPoint) =>
    points.some(
      (q) =>
        q !== p &&
        q.validationScore >= p.validationScore &&
        cost(q) <= cost(p) &&
        (q.validationScore > p.validationScore || cost(q) < cost(p)),
    );
  return {
    unit,
    points: points
      .filter((p) => !dominated(p))
      .sort((a, b) => cost(a) - cost(b) || b.validationScore - a.validationScore),
  };
}

/** The Pareto set as plain lines for terminals (no lines when the run had no objectives). */
export function qualityCostLines(report: Pick<OptimizationReport, "iterations">): string[] {
  const { unit, points } = qualityCostPareto(report);
  if (points.length === 0) return [];
  const cost = (m: PromptMeasures) =>
    unit === "usd" ? `$${m.costPerCall.toPrecision(3)}/call` : `${Math.round(m.tokensPerCall)} tokens/call`;
  return [
    "Quality vs cost (the prompts no other beats on both; pick by your own trade-off)",
    ...points.map((p) => {
      const who = p.candidate === null ? "baseline" : `iteration ${p.iteration}, candidate ${p.candidate}`;
      const score = `${(p.validationScore * 100).toFixed(1)}%`;
      return `  ${who.padEnd(26)} validation ${score.padStart(6)}  ${cost(p.measures)}  ${p.measures.promptChars} chars  ${Math.round(p.measures.latencyMs)} ms${p.accepted ? "  accepted" : ""}`;
    }),
    "",
  ];
}

/**
 * The held-out test as users read it: when the baseline was never beaten, the "best" prompt is the
 * baseline itself, so it has the baseline's interval and no gain (its second scoring differs only by
 * resampling, and two intervals for one prompt read as a difference).
 */
export function heldOutTest(
  report: Pick<OptimizationReport, "bestOrigin" | "test">,
): OptimizationReport["test"] {
  const { test } = report;
  if (report.bestOrigin !== null) return test;
  return { ...test, best: test.baseline, gain: { mean: 0, low: 0, high: 0, n: test.baseline.n } };
}
