// The monitoring dashboard's charts from the aggregated points (pure: the page draws them as SVG): one value
// per bucket and series for each chart, null where a rate has no calls to divide by. Additive figures
// (spend, calls) stack as bars; rates and latencies are lines. At most MAX_SERIES series are drawn (the
// busiest); the rest are counted in the legend.
import type { ProjectMonitoring } from "./monitoring";

export const MAX_SERIES = 8;

export type ChartKind = "stacked" | "lines";
export type ValueFormat = "usd" | "count" | "percent" | "ms";

export interface ChartSeries {
  name: string;
  /** One per bucket of `ProjectMonitoring.buckets`. */
  values: (number | null)[];
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  kind: ChartKind;
  format: ValueFormat;
  /** What the chart says when it has nothing to draw. */
  empty: string;
  series: ChartSeries[];
}

/** The largest value of a chart as drawn (a stack's total for bars). */
export function chartMax(spec: ChartSpec, buckets: number): number {
  let max = 0;
  for (let i = 0; i < buckets; i++) {
    const values = spec.series.map((s) => s.values[i] ?? 0);
    max = Math.max(max, spec.kind === "stacked" ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values));
  }
  return max;
}

/** A "nice" upper bound (1, 2, 2.5 or 5 times a power of ten) and evenly spaced ticks from 0. */
export function niceTicks(max: number, format: ValueFormat): number[] {
  if (format === "percent") return [0, 0.25, 0.5, 0.75, 1];
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let t = 0; t < max + step / 2; t += step) ticks.push(Math.round(t * 1e9) / 1e9);
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Math.round(ticks.length * step * 1e9) / 1e9);
  return ticks;
}

export function monitoringCharts(view: ProjectMonitoring): ChartSpec[] {
  const shown = view.series.slice(0, MAX_SERIES);
  const index = new Map(view.buckets.map((b, i) => [b, i]));
  const grid = <T>(empty: () => T) => shown.map(() => view.buckets.map(empty));
  const usage = grid(() => ({ calls: 0, errors: 0, hits: 0, cost: 0 }));
  const latency = grid((): { p50: number; p95: number } | null => null);
  for (const p of view.usage) {
    const s = shown.indexOf(p.series);
    const b = index.get(p.bucket);
    if (s < 0 || b === undefined) continue;
    usage[s]![b] = { calls: p.calls, errors: p.errors, hits: p.cacheHits, cost: p.costUsd };
  }
  for (const p of view.latency) {
    const s = shown.indexOf(p.series);
    const b = index.get(p.bucket);
    if (s < 0 || b === undefined) continue;
    latency[s]![b] = { p50: p.p50, p95: p.p95 };
  }
  const series = (pick: (s: number, b: number) => number | null): ChartSeries[] =>
    shown.map((name, s) => ({ name, values: view.buckets.map((_, b) => pick(s, b)) }));
  const rate = (s: number, b: number, part: "errors" | "hits") => {
    const cell = usage[s]![b]!;
    return cell.calls > 0 ? cell[part] / cell.calls : null;
  };
  const per = view.bucket === "hour" ? "per hour" : "per day";
  return [
    {
      id: "spend",
      title: "Spend",
      description: `What the provider calls cost, ${per}.`,
      kind: "stacked",
      format: "usd",
      empty: "Nothing spent in this period",
      series: series((s, b) => usage[s]![b]!.cost),
    },
    {
      id: "calls",
      title: "Calls",
      description: `Model calls ${per}, cache hits included.`,
      kind: "stacked",
      format: "count",
      empty: "No calls in this period",
      series: series((s, b) => usage[s]![b]!.calls),
    },
    {
      id: "error-rate",
      title: "Error rate",
      description: "Share of the calls that ended in an error.",
      kind: "lines",
      format: "percent",
      empty: "No calls in this period",
      series: series((s, b) => rate(s, b, "errors")),
    },
    {
      id: "cache-hit-rate",
      title: "Cache hit rate",
      description: "Share of the calls answered from the response cache.",
      kind: "lines",
      format: "percent",
      empty: "No calls in this period",
      series: series((s, b) => rate(s, b, "hits")),
    },
    {
      id: "latency-p50",
      title: "Latency, median (p50)",
      description: "Half of the calls that reached the provider answered faster than this.",
      kind: "lines",
      format: "ms",
      empty: "No calls in this period",
      series: series((s, b) => latency[s]![b]?.p50 ?? null),
    },
    {
      id: "latency-p95",
      title: "Latency, p95",
      description: "95% of the calls that reached the provider answered faster than this.",
      kind: "lines",
      format: "ms",
      empty: "No calls in this period",
      series: series((s, b) => latency[s]![b]?.p95 ?? null),
    },
  ];
}
