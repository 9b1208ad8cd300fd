// Bandit mode: Thompson sampling. Each variant's share of new traffic is the posterior probability that
// it is the best, estimated by drawing from every variant's posterior many times with a seeded RNG, with
// a floor so that no variant stops being explored.
import { createRandom } from "../random";
import { type MetricKind, summarize, type VariantStats } from "./comparison";
import { betaDraw, normalDraw } from "./distributions";

export interface ThompsonOptions {
  /** Posterior draws (default 10,000). */
  draws?: number;
  /** The least share of traffic any variant keeps (default 0.05 each). */
  floor?: number;
  seed?: number | string;
  /** "higher" (default) or "lower": which direction of the metric is better. */
  better?: "higher" | "lower";
}

/** P(variant i is the best), by Monte Carlo over the posteriors. */
export function probabilityBest(
  variants: readonly VariantStats[],
  kind: MetricKind,
  options: ThompsonOptions = {},
): number[] {
  const random = createRandom(options.seed ?? 1);
  const draws = options.draws ?? 10_000;
  const sign = options.better === "lower" ? -1 : 1;
  const wins = new Array<number>(variants.length).fill(0);
  const posteriors = variants.map((v) => {
    if (kind === "proportion") {
      // Beta(1 + successes, 1 + failures): a uniform prior updated by the 0/1 outcomes.
      const a = 1 + v.sum;
      const b = 1 + Math.max(0, v.n - v.sum);
      return () => betaDraw(a, b, random);
    }
    const s = summarize(v, "mean");
    const se = s.n > 1 ? Math.sqrt(s.variance / s.n) : Number.POSITIVE_INFINITY;
    // Without data a variant's draw is unbounded: it wins ties until it has been tried.
    return () => (Number.isFinite(se) ? s.mean + se * normalDraw(random) : Number.POSITIVE_INFINITY * sign);
  });
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < posteriors.length; i++) {
      const value = sign * (posteriors[i] as () => number)();
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    wins[best] = (wins[best] as number) + 1;
  }
  return wins.map((w) => w / draws);
}

/** The traffic weights for the next period: P(best) lifted to the exploration floor. */
export function thompsonWeights(
  variants: readonly VariantStats[],
  kind: MetricKind,
  options: ThompsonOptions = {},
): number[] {
  const floor = Math.min(options.floor ?? 0.05, 1 / variants.length);
  const best = probabilityBest(variants, kind, options);
  return best.map((p) => floor + (1 - floor * variants.length) * p);
}
