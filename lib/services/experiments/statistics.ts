// From an experiment's stored exposures, feedback and generations to the pure core's inputs
// (lib/core/experiments), and from its analysis to the snapshot that is stored and charted. No
// statistics are computed here: analyzeExperiment, decide and the Thompson weights do that.
import { analyzeExperiment, type Decision, decide } from "@/lib/core/experiments/analysis";
import { probabilityBest, thompsonWeights } from "@/lib/core/experiments/bandit";
import type { VariantStats } from "@/lib/core/experiments/comparison";
import {
  automaticMetricSums,
  countExposures,
  type Db,
  type ExperimentRecord,
  type MetricSums,
} from "@/lib/db";
import {
  AUTOMATIC_METRICS,
  type AutomaticMetric,
  type ExperimentSnapshot,
  metricKind,
} from "@/lib/validation/experiments";
import { currentWeights } from "./assign";
import { automaticCoverage, type FeedbackPrimary, feedbackPrimary } from "./cuped";

/** No decision on evidence before every variant has this many measured subjects (or the plan, if less). */
export const MINIMUM_SAMPLE_PER_VARIANT = 30;

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const interval = ([low, high]: [number, number]): [number | null, number | null] => [
  finite(low),
  finite(high),
];

type AutomaticSums = Map<string, Record<AutomaticMetric, MetricSums>>;

function automaticStats(
  record: ExperimentRecord,
  sums: AutomaticSums,
  name: AutomaticMetric,
): VariantStats[] {
  return record.variants.map((v) => sums.get(v.id)?.[name] ?? { n: 0, sum: 0, sumSquares: 0 });
}

/** Feedback: one value per subject (with its pre-period value for CUPED); automatic: one per generation. */
async function primaryStats(
  db: Db,
  record: ExperimentRecord,
  generations: () => Promise<AutomaticSums>,
): Promise<FeedbackPrimary> {
  const metric = record.metric;
  if (metric.source === "automatic")
    return {
      primary: automaticStats(record, await generations(), metric.name),
      cuped: automaticCoverage(metric.name),
    };
  return feedbackPrimary(db, record, metric);
}

export interface ComputedAnalysis {
  snapshot: ExperimentSnapshot;
  decision: Decision;
  /** Bandit mode: the new weights by variant id. */
  banditWeights: Map<string, number> | null;
}

/** Analyzes the experiment as its data stands now. `seed` makes the Monte Carlo parts repeatable. */
export async function computeAnalysis(
  db: Db,
  record: ExperimentRecord,
  seed: string,
  now = Date.now(),
): Promise<ComputedAnalysis> {
  const exposures = await countExposures(db, record.id);
  let cached: Promise<AutomaticSums> | undefined;
  const generations = () => {
    cached ??= automaticMetricSums(db, record.id);
    return cached;
  };
  const kind = metricKind(record.metric);
  const better = record.metric.better;
  const { primary, cuped } = await primaryStats(db, record, generations);
  const guardrails = [];
  for (const g of record.guardrails)
    guardrails.push({
      name: g.name,
      kind: AUTOMATIC_METRICS[g.name].kind,
      stats: automaticStats(record, await generations(), g.name),
      worse: "higher" as const,
      tolerance: g.tolerance,
    });
  const weights = currentWeights(record);
  const exposed = record.variants.map((v) => exposures.get(v.id) ?? 0);
  const analysis = analyzeExperiment({
    kind,
    better,
    primary,
    weights,
    exposures: exposed,
    guardrails,
    alpha: record.alpha,
    plannedSamplePerVariant: record.plannedSamplePerVariant,
    // Bandit weights move between analyses, so the observed split is not expected to match them.
    srmThreshold: record.mode === "bandit" ? 0 : undefined,
  });
  const decision = decide(analysis, {
    better,
    minimumSamplePerVariant: Math.min(MINIMUM_SAMPLE_PER_VARIANT, record.plannedSamplePerVariant),
    elapsedMs: now - (record.startedAt ?? record.createdAt).getTime(),
    maxDurationMs: record.maxDurationHours * 3_600_000,
  });
  const best = probabilityBest(primary, kind, { better, seed });
  const total = weights.reduce((a, b) => a + b, 0);
  const snapshot: ExperimentSnapshot = {
    variants: analysis.variants.map((v, i) => ({
      index: v.index,
      exposures: exposed[i] ?? 0,
      n: v.summary.n,
      mean: v.summary.mean,
      interval: interval(v.interval),
      difference: v.difference && {
        estimate: v.difference.estimate,
        interval: interval(v.difference.sequential.interval),
        pValue: v.difference.sequential.pValue,
      },
      chanceToBeatControl: v.difference
        ? better === "higher"
          ? v.difference.chanceToBeatControl
          : 1 - v.difference.chanceToBeatControl
        : null,
      probabilityBest: best[i] ?? 0,
      allocation: (weights[i] ?? 0) / total,
      guardrailBreaches: v.guardrailBreaches,
    })),
    sampleRatio: { pValue: analysis.sampleRatio.pValue, mismatch: analysis.sampleRatio.mismatch },
    decision: decision.action === "continue" ? "continue" : decision.outcome,
    winner: decision.action === "stop" && decision.outcome === "winner" ? decision.variant : null,
    reason: decision.reason,
    cuped: {
      ...cuped,
      theta: analysis.cuped?.theta ?? null,
      varianceReduction: analysis.cuped?.varianceReduction ?? null,
      // Intervals scale with the standard error, the square root of the variance.
      intervalNarrowing: analysis.cuped ? 1 - Math.sqrt(1 - analysis.cuped.varianceReduction) : null,
    },
  };
  const banditWeights =
    record.mode === "bandit" && decision.action === "continue"
      ? new Map(
          thompsonWeights(primary, kind, { better, seed }).map((w, i) => [record.variants[i]?.id ?? "", w]),
        )
      : null;
  return { snapshot, decision, banditWeights };
}
