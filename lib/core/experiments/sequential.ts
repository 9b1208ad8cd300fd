// Sequential testing safe to peek at: a normal-mixture confidence sequence (Robbins; Howard, Ramdas,
// McAuliffe and Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence sequences", 2021) on the
// difference to control. With V the variance of the running sum, the two-sided boundary
// sqrt((V + ρ) · ln((V + ρ) / (ρ α²))) holds at every sample size at once with probability 1 − α, so
// looking after every exposure does not inflate false positives. ρ is tuned so that the interval is
// narrowest at the planned sample size (from the power calculation).

/** f(r) = (1 + 1/r) · (ln(1 + r) + 2 ln(1/α)): the squared half-width in standard errors at r = V/ρ. */
function widthFactor(r: number, alpha: number): number {
  return (1 + 1 / r) * (Math.log(1 + r) + 2 * Math.log(1 / alpha));
}

const optimalRatioCache = new Map<number, number>();

/** The r = V/ρ where the sequence is narrowest for this alpha (golden-section search on ln r). */
export function optimalRatio(alpha: number): number {
  const cached = optimalRatioCache.get(alpha);
  if (cached !== undefined) return cached;
  let lo = Math.log(1e-3);
  let hi = Math.log(1e4);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (widthFactor(Math.exp(a), alpha) < widthFactor(Math.exp(b), alpha)) hi = b;
    else lo = a;
  }
  const r = Math.exp((lo + hi) / 2);
  optimalRatioCache.set(alpha, r);
  return r;
}

/** The smallest half-width, in standard errors, the sequence reaches (at the planned sample size). */
export function minimumWidthFactor(alpha: number): number {
  return Math.sqrt(widthFactor(optimalRatio(alpha), alpha));
}

export interface SequentialResult {
  /** The always-valid interval of the difference at 1 − alpha. */
  interval: [number, number];
  /** The always-valid p-value: at most alpha exactly when the interval excludes 0. */
  pValue: number;
}

/**
 * The confidence sequence at this look. `n` is the sample size the standard error is based on (per
 * variant, or the smaller arm), `plannedN` the sample size the sequence is tuned for.
 */
export function sequentialInterval(
  estimate: number,
  standardError: number,
  n: number,
  plannedN: number,
  alpha = 0.05,
): SequentialResult {
  if (!(standardError > 0) || !Number.isFinite(standardError) || n <= 0) {
    return { interval: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY], pValue: 1 };
  }
  const r = (optimalRatio(alpha) * n) / Math.max(1, plannedN);
  const half = standardError * Math.sqrt(widthFactor(r, alpha));
  const z = estimate / standardError;
  // Solving half(α) = |estimate| for α with ρ fixed gives the always-valid p-value.
  const pValue = Math.min(1, Math.sqrt(1 + r) * Math.exp((-z * z * r) / (2 * (1 + r))));
  return { interval: [estimate - half, estimate + half], pValue };
}
