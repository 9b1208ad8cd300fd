// A variant against control on one metric: the difference with its interval, the test that suits the
// metric (two-proportion z for rates, Welch's t for means), and the Bayesian chance to beat control.
import { normalCdf, normalQuantile, studentTTwoSided } from "./distributions";

/** Sufficient statistics of a metric in one variant: count, sum and sum of squares of the values. */
export interface VariantStats {
  n: number;
  sum: number;
  sumSquares: number;
}

/** "proportion": values are 0/1 (a thumbs-up, a conversion); "mean": any number (a score, a cost). */
export type MetricKind = "proportion" | "mean";

export interface Summary {
  n: number;
  mean: number;
  /** The sample variance of one value (n − 1 in the denominator; p(1 − p) for proportions). */
  variance: number;
}

export function summarize(stats: VariantStats, kind: MetricKind): Summary {
  const { n, sum, sumSquares } = stats;
  if (n === 0) return { n, mean: 0, variance: 0 };
  const mean = sum / n;
  if (kind === "proportion") return { n, mean, variance: mean * (1 - mean) };
  const variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, variance };
}

/** The stats of a list of values (tests and simulations build them this way). */
export function statsOf(values: readonly number[]): VariantStats {
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    sum += v;
    sumSquares += v * v;
  }
  return { n: values.length, sum, sumSquares };
}

export interface Difference {
  control: number;
  treatment: number;
  /** treatment − control. */
  estimate: number;
  /** estimate / control, when control is not 0. */
  relative: number | null;
  standardError: number;
  /** The fixed-horizon interval at 1 − alpha: valid for one look at a planned sample size only. */
  interval: [number, number];
  /** Fixed-horizon two-sided p-value (one look). */
  pValue: number;
  test: "two-proportion z" | "welch t";
  degreesOfFreedom: number | null;
  /** P(treatment > control) under a flat prior and a normal approximation of the difference. */
  chanceToBeatControl: number;
}

/** The standard error of treatment − control from two summaries (unpooled). */
export function differenceStandardError(control: Summary, treatment: Summary): number {
  if (control.n === 0 || treatment.n === 0) return Number.POSITIVE_INFINITY;
  return Math.sqrt(control.variance / control.n + treatment.variance / treatment.n);
}

export function compareSummaries(
  control: Summary,
  treatment: Summary,
  kind: MetricKind,
  alpha = 0.05,
): Difference {
  const estimate = treatment.mean - control.mean;
  const se = differenceStandardError(control, treatment);
  const relative = control.mean !== 0 ? estimate / control.mean : null;
  const chanceToBeatControl =
    se === 0
      ? estimate > 0
        ? 1
        : estimate < 0
          ? 0
          : 0.5
      : Number.isFinite(se)
        ? normalCdf(estimate / se)
        : 0.5;
  if (kind === "proportion") {
    // The test pools the two rates (under H0 they are one); the interval does not.
    const pooled =
      (control.mean * control.n + treatment.mean * treatment.n) / Math.max(1, control.n + treatment.n);
    const pooledSe = Math.sqrt(
      pooled * (1 - pooled) * (1 / Math.max(1, control.n) + 1 / Math.max(1, treatment.n)),
    );
    const z = pooledSe > 0 ? estimate / pooledSe : 0;
    const half = normalQuantile(1 - alpha / 2) * se;
    return {
      control: control.mean,
      treatment: treatment.mean,
      estimate,
      relative,
      standardError: se,
      interval: [estimate - half, estimate + half],
      pValue: pooledSe > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1,
      test: "two-proportion z",
      degreesOfFreedom: null,
      chanceToBeatControl,
    };
  }
  const a = control.variance / Math.max(1, control.n);
  const b = treatment.variance / Math.max(1, treatment.n);
  // Welch–Satterthwaite degrees of freedom.
  const df =
    a + b > 0
      ? (a + b) ** 2 / (a ** 2 / Math.max(1, control.n - 1) + b ** 2 / Math.max(1, treatment.n - 1))
      : 1;
  const t = se > 0 && Number.isFinite(se) ? estimate / se : 0;
  const tCritical = studentTQuantile(1 - alpha / 2, df);
  return {
    control: control.mean,
    treatment: treatment.mean,
    estimate,
    relative,
    standardError: se,
    interval: [estimate - tCritical * se, estimate + tCritical * se],
    pValue: se > 0 && Number.isFinite(se) ? studentTTwoSided(t, df) : 1,
    test: "welch t",
    degreesOfFreedom: df,
    chanceToBeatControl,
  };
}

export function compareVariants(
  control: VariantStats,
  treatment: VariantStats,
  kind: MetricKind,
  alpha = 0.05,
): Difference {
  return compareSummaries(summarize(control, kind), summarize(treatment, kind), kind, alpha);
}

/** The t with P(T ≤ t) = p for `df` degrees of freedom, by bisection on the two-sided tail. */
export function studentTQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  const tail = 2 * Math.min(p, 1 - p);
  let lo = 0;
  let hi = 1;
  while (studentTTwoSided(hi, df) > tail && hi < 1e6) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSided(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  return p > 0.5 ? t : -t;
}
