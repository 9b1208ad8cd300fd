// An interval on the 0–100% scale: a band from low to high with a tick at the mean. Decorative: the
// numbers are always printed next to it.
import type { Interval } from "@/lib/core/types";

const clamp = (value: number) => Math.min(100, Math.max(0, value * 100));

export function IntervalBar({
  interval,
  tone = "indigo",
}: {
  interval: Interval;
  tone?: "indigo" | "slate";
}) {
  const low = clamp(interval.low);
  const high = clamp(interval.high);
  const mean = clamp(interval.mean);
  const band = tone === "indigo" ? "bg-indigo-300" : "bg-slate-300";
  const tick = tone === "indigo" ? "bg-indigo-800" : "bg-slate-700";
  return (
    <div aria-hidden="true" className="relative h-3 w-full min-w-24 rounded-full bg-slate-100">
      <div
        className={`absolute inset-y-0 rounded-full ${band}`}
        style={{ left: `${low}%`, width: `${Math.max(high - low, 0.5)}%` }}
      />
      <div className={`absolute -inset-y-0.5 w-0.5 ${tick}`} style={{ left: `calc(${mean}% - 1px)` }} />
    </div>
  );
}
