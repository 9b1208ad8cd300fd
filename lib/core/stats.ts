// Statistics for honest comparisons: bootstrap intervals of a mean and of a paired difference.
import { createRandom } from "./random";
import type { Interval } from "./types";

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}

/**
 * Percentile bootstrap interval of the mean. Resampling indexes (not values) with a seeded RNG makes
 * the interval reproducible for a given seed.
 */
export function bootstrapInterval(
  values: readonly number[],
  options: { confidence?: number; samples?: number; seed?: number } = {},
): Interval {
  const { confidence = 0.95, samples = 2000, seed = 1 } = options;
  const n = values.length;
  const center = mean(values);
  if (n < 2) return { mean: center, low: center, high: center, n };
  const random = createRandom(seed);
  const means = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)] as number;
    means[s] = sum / n;
  }
  means.sort();
  const alpha = (1 - confidence) / 2;
  const sorted = Array.from(means);
  return { mean: center, low: quantile(sorted, alpha), high: quantile(sorted, 1 - alpha), n };
}

/**
 * Paired bootstrap interval of mean(b - a) over the same examples. Pairing removes the variance that
 * comes from examples being easy or hard, so a real gain shows with far fewer examples.
 */
export function pairedGainInterval(
  a: readonly number[],
  b: readonly number[],
  options: { confidence?: number; samples?: number; seed?: number } = {},
): Interval {
  if (a.length !== b.length) throw new Error(`paired samples differ in length: ${a.length} vs ${b.length}`);
  return bootstrapInterval(
    b.map((value, i) => value - (a[i] as number)),
    options,
  );
}
