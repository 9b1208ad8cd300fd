// Display formats for scores, intervals, money and durations (server and client render the same text).
import type { Interval } from "@/lib/core/types";

export const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
export const intervalText = (i: Interval) => `${pct(i.mean)} [${pct(i.low)}, ${pct(i.high)}]`;
export const points = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value * 100).toFixed(1)} pts`;
export const gainText = (i: Interval) => `${points(i.mean)} [${points(i.low)}, ${points(i.high)}]`;
export const usd = (value: number) => `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;
export const count = (value: number) => value.toLocaleString("en-US");

export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** How long a run took (or has been running, up to `now`); null before it started. */
export function runDuration(
  run: { startedAt: Date | null; finishedAt: Date | null },
  now = Date.now(),
): number | null {
  if (!run.startedAt) return null;
  return (run.finishedAt?.getTime() ?? now) - run.startedAt.getTime();
}

/** What the gain interval says: above zero, below zero, or not distinguishable from noise. */
export function gainVerdict(gain: Interval): "improvement" | "regression" | "no clear change" {
  if (gain.low > 0) return "improvement";
  if (gain.high < 0) return "regression";
  return "no clear change";
}

/** "p50 120 ms · p95 340 ms · p99 410 ms" of the calls measured, or "–" before there is a summary. */
export function latencyText(
  latency: { count: number; p50: number; p95: number; p99: number } | null,
): string {
  if (!latency || latency.count === 0) return "–";
  return `p50 ${count(latency.p50)} ms · p95 ${count(latency.p95)} ms · p99 ${count(latency.p99)} ms`;
}
