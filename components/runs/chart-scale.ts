// The score chart's axes: "nice" percentage ticks (steps of 1, 2, 5, 10, 20, 25 or 50 points, so the
// labels read 20/30/40/50%, not 20/28/35/43/50%) over the scores shown, and an x axis that ends at the
// last iteration that ran rather than at the run's maximum. Pure, so server and client draw the same.

/** Tick steps (as fractions of 1) from fine to coarse. */
const STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5] as const;

/** At most this many intervals between ticks (six labels). */
const MAX_INTERVALS = 5;

const tidy = (value: number) => Math.round(value * 1e6) / 1e6;

export interface ScoreScale {
  lo: number;
  hi: number;
  ticks: number[];
}

/**
 * The y domain and its ticks for scores in [0, 1]: the range of `values` with a margin of `pad`, widened
 * to at least `minSpan`, then out to whole steps of the finest step that needs at most six ticks.
 */
export function scoreScale(values: number[], pad = 0.05, minSpan = 0.2): ScoreScale {
  if (values.length === 0) return { lo: 0, hi: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
  let lo = Math.max(0, Math.min(...values) - pad);
  let hi = Math.min(1, Math.max(...values) + pad);
  if (hi - lo < minSpan) {
    const middle = (lo + hi) / 2;
    [lo, hi] = [middle - minSpan / 2, middle + minSpan / 2];
    if (lo < 0) [lo, hi] = [0, minSpan];
    if (hi > 1) [lo, hi] = [1 - minSpan, 1];
  }
  const step = STEPS.find((s) => Math.ceil(tidy(hi / s)) - Math.floor(tidy(lo / s)) <= MAX_INTERVALS) ?? 0.5;
  const first = Math.floor(tidy(lo / step));
  const last = Math.ceil(tidy(hi / step));
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => tidy((first + i) * step));
  return { lo: ticks[0] ?? 0, hi: ticks.at(-1) ?? 1, ticks };
}

/** The iterations the x axis shows: 1 … the last one that ran (at least 1). */
export function iterationAxis(iterations: { index: number }[]): number[] {
  const last = Math.max(1, ...iterations.map((it) => it.index));
  return Array.from({ length: last }, (_, i) => i + 1);
}
