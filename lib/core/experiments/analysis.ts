// One analysis of a running experiment: per variant the metric with its interval, the difference to
// control (fixed-horizon and always-valid), the chance to beat control, guardrail breaches and the
// sample-ratio check — and the decision the rule takes from them.
import {
  compareSummaries,
  type Difference,
  type MetricKind,
  type Summary,
  summarize,
  type VariantStats,
} from "./comparison";
import { type CovariateStats, cupedAdjust } from "./cuped";
import { comparisonAlpha } from "./power";
import { type SequentialResult, sequentialInterval } from "./sequential";
import { type SampleRatioCheck, sampleRatioMismatch } from "./srm";

export interface GuardrailInput {
  name: string;
  kind: MetricKind;
  /** Per variant, in the order of the variants. */
  stats: VariantStats[];
  /** Which direction is worse (an error rate, a latency and a cost are worse when higher). */
  worse: "higher" | "lower";
  /** How much worse than control is tolerated, in the metric's unit (0: any confident harm). */
  tolerance: number;
}

export interface ExperimentInput {
  kind: MetricKind;
  better: "higher" | "lower";
  /** Variant 0 is control. With covariates (pre-experiment values), CUPED adjusts the primary metric. */
  primary: VariantStats[] | CovariateStats[];
  weights: number[];
  /** Subjects exposed per variant (for the sample-ratio check). */
  exposures: number[];
  guardrails?: GuardrailInput[];
  alpha?: number;
  /** The per-variant sample size the sequential boundary is tuned for (the power calculation's). */
  plannedSamplePerVariant: number;
  srmThreshold?: number;
}

export interface VariantResult {
  index: number;
  summary: Summary;
  /** The metric's own always-valid interval. */
  interval: [number, number];
  /** Against control (null for control itself). */
  difference: (Difference & { sequential: SequentialResult }) | null;
  guardrailBreaches: string[];
}

export interface ExperimentAnalysis {
  variants: VariantResult[];
  sampleRatio: SampleRatioCheck;
  comparisonAlpha: number;
  /** With covariates: CUPED's θ and how much it cut the pooled variance (1 − adjusted / raw). */
  cuped: { theta: number; varianceReduction: number } | null;
}

function hasCovariates(stats: VariantStats[] | CovariateStats[]): stats is CovariateStats[] {
  return stats.every((s) => "covariateSum" in s);
}

export function analyzeExperiment(input: ExperimentInput): ExperimentAnalysis {
  const alpha = comparisonAlpha(input.alpha ?? 0.05, input.primary.length);
  const cuped = hasCovariates(input.primary) ? cupedAdjust(input.primary) : null;
  const summaries = cuped?.summaries ?? input.primary.map((s) => summarize(s, input.kind));
  const compareAs: MetricKind = cuped ? "mean" : input.kind;
  const control = summaries[0] as Summary;
  const planned = input.plannedSamplePerVariant;
  const variants = summaries.map((summary, index): VariantResult => {
    const se = summary.n > 0 ? Math.sqrt(summary.variance / summary.n) : Number.POSITIVE_INFINITY;
    const own = sequentialInterval(summary.mean, se, summary.n, planned, alpha);
    if (index === 0)
      return { index, summary, interval: own.interval, difference: null, guardrailBreaches: [] };
    const fixed = compareSummaries(control, summary, compareAs, alpha);
    const sequential = sequentialInterval(
      fixed.estimate,
      fixed.standardError,
      Math.min(control.n, summary.n),
      planned,
      alpha,
    );
    const guardrailBreaches = (input.guardrails ?? [])
      .filter((g) => guardrailBreached(g, index, planned, alpha))
      .map((g) => g.name);
    return {
      index,
      summary,
      interval: own.interval,
      difference: { ...fixed, sequential },
      guardrailBreaches,
    };
  });
  return {
    variants,
    sampleRatio: sampleRatioMismatch(input.exposures, input.weights, input.srmThreshold),
    comparisonAlpha: alpha,
    cuped: cuped && { theta: cuped.theta, varianceReduction: cuped.varianceReduction },
  };
}

/** Breached when the always-valid interval says the variant is worse than control by more than tolerated. */
function guardrailBreached(g: GuardrailInput, index: number, planned: number, alpha: number): boolean {
  const control = summarize(g.stats[0] as VariantStats, g.kind);
  const variant = summarize(g.stats[index] as VariantStats, g.kind);
  const d = compareSummaries(control, variant, g.kind, alpha);
  const s = sequentialInterval(d.estimate, d.standardError, Math.min(control.n, variant.n), planned, alpha);
  return g.worse === "higher" ? s.interval[0] > g.tolerance : s.interval[1] < -g.tolerance;
}

export type Decision =
  | { action: "continue"; reason: string }
  | { action: "stop"; outcome: "winner"; variant: number; reason: string }
  | { action: "stop"; outcome: "control"; reason: string }
  | { action: "stop"; outcome: "inconclusive"; reason: string }
  | { action: "stop"; outcome: "invalid"; reason: string };

export interface DecisionRules {
  better: "higher" | "lower";
  /** No decision on evidence before every variant has this many subjects. */
  minimumSamplePerVariant: number;
  /** The experiment's age and its maximum duration, in milliseconds. */
  elapsedMs: number;
  maxDurationMs: number;
}

/** What the rule does after an analysis. Safe to call at every analysis: the tests are sequential. */
export function decide(analysis: ExperimentAnalysis, rules: DecisionRules): Decision {
  if (analysis.sampleRatio.mismatch) {
    return {
      action: "stop",
      outcome: "invalid",
      reason: `sample ratio mismatch (p = ${analysis.sampleRatio.pValue.toExponential(1)}): the observed split does not match the weights; assignment or exposure logging is broken`,
    };
  }
  const challengers = analysis.variants.slice(1);
  const sign = rules.better === "higher" ? 1 : -1;
  const enough = analysis.variants.every((v) => v.summary.n >= rules.minimumSamplePerVariant);
  const significant = (v: VariantResult) =>
    v.difference !== null && v.difference.sequential.pValue <= analysis.comparisonAlpha;
  if (enough) {
    const winners = challengers
      .filter(
        (v) => v.guardrailBreaches.length === 0 && significant(v) && sign * (v.difference?.estimate ?? 0) > 0,
      )
      .sort((a, b) => sign * ((b.difference?.estimate ?? 0) - (a.difference?.estimate ?? 0)));
    const best = winners[0];
    if (best) {
      return {
        action: "stop",
        outcome: "winner",
        variant: best.index,
        reason: `variant ${best.index} beats control (always-valid p = ${best.difference?.sequential.pValue.toPrecision(2)})`,
      };
    }
    const allLose = challengers.every(
      (v) => v.guardrailBreaches.length > 0 || (significant(v) && sign * (v.difference?.estimate ?? 0) < 0),
    );
    if (allLose) {
      return {
        action: "stop",
        outcome: "control",
        reason: "every variant is worse than control or breaks a guardrail",
      };
    }
  }
  if (rules.elapsedMs >= rules.maxDurationMs) {
    return {
      action: "stop",
      outcome: "inconclusive",
      reason: "the maximum duration passed without conclusive evidence; control stays",
    };
  }
  return {
    action: "continue",
    reason: enough ? "no conclusive difference yet" : "waiting for the minimum sample",
  };
}
