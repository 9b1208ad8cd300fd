// CUPED on a live experiment: a subject's pre-experiment value of a feedback metric is the mean of that
// feedback on the subject's generations of the task in the 28 days before the experiment started
// (generations record the request's subject with or without an experiment). Subjects without one get the
// pooled mean (lib/core/experiments/cuped.ts imputeCovariates). Applied only when enough subjects have a
// value; otherwise the plain analysis, and the snapshot says why.
import type { VariantStats } from "@/lib/core/experiments/comparison";
import { type CovariateStats, imputeCovariates } from "@/lib/core/experiments/cuped";
import { type Db, type ExperimentRecord, prePeriodSums } from "@/lib/db";
import { type CupedSnapshot, countedValues, type ExperimentMetric } from "@/lib/validation/experiments";

/** How far back before the start a subject's feedback counts as its pre-experiment value. */
export const CUPED_WINDOW_DAYS = 28;
/** CUPED needs at least this many subjects with a pre-period value… */
export const CUPED_MIN_SUBJECTS = 30;
/** …and at least this share of the measured subjects (below, θ rests on too few to be worth it). */
export const CUPED_MIN_SHARE = 0.1;

const DAY_MS = 86_400_000;

export type CupedCoverage = Omit<CupedSnapshot, "theta" | "varianceReduction" | "intervalNarrowing">;

export interface FeedbackPrimary {
  /** Per variant: with covariates when CUPED applies (analyzeExperiment then adjusts). */
  primary: VariantStats[] | CovariateStats[];
  cuped: CupedCoverage;
}

const count = (n: number) => n.toLocaleString("en");

/** The primary feedback metric per variant, with its pre-period values when there are enough. */
export async function feedbackPrimary(
  db: Db,
  record: ExperimentRecord,
  metric: Extract<ExperimentMetric, { source: "feedback" }>,
): Promise<FeedbackPrimary> {
  const start = record.startedAt ?? record.createdAt;
  const sums = await prePeriodSums(db, {
    experimentId: record.id,
    taskId: record.taskId,
    name: metric.name,
    missing: metric.missing,
    range: countedValues(metric),
    from: new Date(start.getTime() - CUPED_WINDOW_DAYS * DAY_MS),
    to: start,
  });
  const partial = record.variants.map(
    (v) =>
      sums.get(v.id) ?? {
        n: 0,
        sum: 0,
        sumSquares: 0,
        covered: { n: 0, sum: 0, covariateSum: 0, covariateSquares: 0, productSum: 0 },
      },
  );
  const subjects = partial.reduce((a, p) => a + p.n, 0);
  const withPreValue = partial.reduce((a, p) => a + p.covered.n, 0);
  const coverage = `${count(withPreValue)} of ${count(subjects)} subjects had a value of ${metric.name} in the ${CUPED_WINDOW_DAYS} days before the start`;
  const enough = withPreValue >= CUPED_MIN_SUBJECTS && withPreValue >= CUPED_MIN_SHARE * subjects;
  const plain = partial.map(({ n, sum, sumSquares }) => ({ n, sum, sumSquares }));
  const base = { subjects, withPreValue, windowDays: CUPED_WINDOW_DAYS };
  if (!enough)
    return {
      primary: plain,
      cuped: {
        ...base,
        applied: false,
        reason: `only ${coverage}; CUPED needs at least ${CUPED_MIN_SUBJECTS} and ${CUPED_MIN_SHARE * 100}%`,
      },
    };
  return { primary: imputeCovariates(partial), cuped: { ...base, applied: true, reason: coverage } };
}

/** For a metric measured on each generation: no subject-level pre-period value, so no CUPED. */
export function automaticCoverage(name: string): CupedCoverage {
  return {
    applied: false,
    subjects: 0,
    withPreValue: 0,
    windowDays: CUPED_WINDOW_DAYS,
    reason: `${name} is measured on each generation, not once per subject`,
  };
}
