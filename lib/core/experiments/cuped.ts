// CUPED (Deng, Xu, Kohavi and Walker, 2013): subtract from each subject's metric the part its
// pre-experiment value predicts, y − θ(x − x̄). Randomization makes x independent of the variant, so the
// difference between variants keeps its expectation while its variance shrinks by the share of variance
// x explains (1 − ρ²).
import type { Summary, VariantStats } from "./comparison";

/** A variant's metric (y) with each subject's pre-experiment value of it (x). */
export interface CovariateStats extends VariantStats {
  covariateSum: number;
  covariateSquares: number;
  /** Σ x·y over the variant's subjects. */
  productSum: number;
}

export interface CupedResult {
  theta: number;
  /** Adjusted summaries, one per variant, to compare as means. */
  summaries: Summary[];
  /** 1 − adjusted variance / raw variance, pooled: how much CUPED narrowed the intervals. */
  varianceReduction: number;
}

export function cupedAdjust(variants: readonly CovariateStats[]): CupedResult {
  let covariance = 0;
  let covariateVariance = 0;
  let rawVariance = 0;
  let allX = 0;
  let allN = 0;
  for (const v of variants) {
    if (v.n === 0) continue;
    const my = v.sum / v.n;
    const mx = v.covariateSum / v.n;
    // Within-variant sums of squares and products, pooled (θ must not depend on the treatment effect).
    covariance += v.productSum - v.n * mx * my;
    covariateVariance += v.covariateSquares - v.n * mx * mx;
    rawVariance += v.sumSquares - v.n * my * my;
    allX += v.covariateSum;
    allN += v.n;
  }
  const theta = covariateVariance > 0 ? covariance / covariateVariance : 0;
  const grandX = allN > 0 ? allX / allN : 0;
  const summaries = variants.map((v): Summary => {
    if (v.n === 0) return { n: 0, mean: 0, variance: 0 };
    const my = v.sum / v.n;
    const mx = v.covariateSum / v.n;
    const denominator = Math.max(1, v.n - 1);
    const varY = (v.sumSquares - v.n * my * my) / denominator;
    const varX = (v.covariateSquares - v.n * mx * mx) / denominator;
    const cov = (v.productSum - v.n * mx * my) / denominator;
    return {
      n: v.n,
      mean: my - theta * (mx - grandX),
      variance: Math.max(0, varY - 2 * theta * cov + theta * theta * varX),
    };
  });
  const adjustedVariance = rawVariance - theta * theta * covariateVariance;
  return {
    theta,
    summaries,
    varianceReduction: rawVariance > 0 ? Math.max(0, 1 - adjustedVariance / rawVariance) : 0,
  };
}

/** A variant's metric over all its subjects, and the sums over those of them with a pre-experiment value. */
export interface PartialCovariateStats extends VariantStats {
  covered: {
    n: number;
    /** Σ y over the covered subjects. */
    sum: number;
    covariateSum: number;
    covariateSquares: number;
    productSum: number;
  };
}

/**
 * Gives every subject without a pre-experiment value the pooled mean of the values that exist (the
 * standard imputation): such a subject sits at x̄, adds nothing to θ's covariance and keeps its own y, so
 * the estimate stays unbiased and only the covered subjects narrow the interval. Done on the sums:
 * n₀ subjects at x̄ add n₀·x̄ to Σx, n₀·x̄² to Σx², and x̄·Σy (over those subjects) to Σxy.
 */
export function imputeCovariates(variants: readonly PartialCovariateStats[]): CovariateStats[] {
  const coveredN = variants.reduce((a, v) => a + v.covered.n, 0);
  const mean = coveredN > 0 ? variants.reduce((a, v) => a + v.covered.covariateSum, 0) / coveredN : 0;
  return variants.map(({ covered, ...stats }) => {
    const missing = stats.n - covered.n;
    return {
      ...stats,
      covariateSum: covered.covariateSum + missing * mean,
      covariateSquares: covered.covariateSquares + missing * mean * mean,
      productSum: covered.productSum + mean * (stats.sum - covered.sum),
    };
  });
}
