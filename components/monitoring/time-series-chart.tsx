// One dashboard chart as plain SVG (no chart library, like the run page's score chart): stacked bars for
// additive figures, lines for rates and latencies, one colour per model or provider, a <title> on every
// bar and point, and a label that sums the chart up for screen readers. Times are UTC (the server
// renders them; the browser draws the same).
import { type ChartSpec, chartMax, niceTicks } from "@/lib/services/monitoring-charts";
import { formatValue } from "./format";
import { seriesColor } from "./palette";

const W = 640;
const H = 220;
const PAD = { left: 64, right: 12, top: 12, bottom: 30 };

function bucketLabel(bucket: string, hourly: boolean): string {
  const date = new Date(bucket);
  if (hourly) return `${String(date.getUTCHours()).padStart(2, "0")}:00`;
  return date.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** About six labels along the x axis, always including the newest bucket. */
function labelledBuckets(count: number): Set<number> {
  const every = Math.max(1, Math.ceil(count / 6));
  const shown = new Set<number>();
  for (let i = count - 1; i >= 0; i -= every) shown.add(i);
  return shown;
}

export function TimeSeriesChart({
  spec,
  buckets,
  hourly,
}: {
  spec: ChartSpec;
  buckets: string[];
  hourly: boolean;
}) {
  const n = buckets.length;
  const ticks = niceTicks(chartMax(spec, n), spec.format);
  const top = ticks.at(-1) || 1;
  const slotWidth = (W - PAD.left - PAD.right) / Math.max(1, n);
  const x = (i: number) => PAD.left + (i + 0.5) * slotWidth;
  const y = (v: number) => PAD.top + (1 - Math.min(v, top) / top) * (H - PAD.top - PAD.bottom);
  const labels = labelledBuckets(n);
  const when = (i: number) =>
    `${buckets[i]!.slice(0, hourly ? 13 : 10).replace("T", " ")}${hourly ? ":00" : ""} UTC`;
  // Bars need something to stack; a line has a point wherever a value exists (0% is a value).
  const hasData = spec.series.some((s) =>
    s.values.some((v) => v !== null && (spec.kind === "lines" || v > 0)),
  );
  const total = spec.series.reduce((sum, s) => sum + s.values.reduce<number>((a, v) => a + (v ?? 0), 0), 0);
  const summary =
    spec.kind === "stacked"
      ? `${spec.title}: ${formatValue(total, spec.format)} in total over ${n} ${hourly ? "hours" : "days"}`
      : `${spec.title} over ${n} ${hourly ? "hours" : "days"}, up to ${formatValue(chartMax(spec, n), spec.format)}`;
  const label = `${summary}, by ${spec.series.map((s) => s.name).join(", ") || "nothing yet"}.`;

  return (
    <figure className="min-w-0 space-y-2" data-testid={`chart-${spec.id}`} data-series={spec.series.length}>
      <figcaption>
        <h3 className="text-sm font-semibold">{spec.title}</h3>
        <p className="text-xs text-slate-600">{spec.description}</p>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="h-auto w-full">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-slate-100" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="fill-slate-600 text-[11px]">
              {formatValue(t, spec.format)}
            </text>
          </g>
        ))}
        {buckets.map((bucket, i) =>
          labels.has(i) ? (
            <text
              key={bucket}
              x={x(i)}
              y={H - PAD.bottom + 16}
              textAnchor="middle"
              className="fill-slate-600 text-[11px]"
            >
              {bucketLabel(bucket, hourly)}
            </text>
          ) : null,
        )}
        {spec.kind === "stacked"
          ? buckets.map((bucket, i) => {
              let base = 0;
              return (
                <g key={bucket}>
                  {spec.series.map((s, k) => {
                    const v = s.values[i] ?? 0;
                    if (v <= 0) return null;
                    const bar = (
                      <rect
                        key={s.name}
                        data-chart-bar={s.name}
                        x={x(i) - slotWidth * 0.35}
                        width={slotWidth * 0.7}
                        y={y(base + v)}
                        height={Math.max(1, y(base) - y(base + v))}
                        className={seriesColor(k).fill}
                      >
                        <title>{`${when(i)}, ${s.name}: ${formatValue(v, spec.format)}`}</title>
                      </rect>
                    );
                    base += v;
                    return bar;
                  })}
                </g>
              );
            })
          : spec.series.map((s, k) => {
              // A gap where a bucket has no value: the line breaks instead of inventing one.
              let pen = "M";
              const d = s.values
                .map((v, i) => {
                  if (v === null) {
                    pen = "M";
                    return "";
                  }
                  const step = `${pen}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
                  pen = "L";
                  return step;
                })
                .join(" ");
              return (
                <g key={s.name} data-chart-line={s.name}>
                  <path d={d} fill="none" strokeWidth={2} className={seriesColor(k).stroke} />
                  {s.values.map((v, i) =>
                    v === null ? null : (
                      <circle key={buckets[i]} cx={x(i)} cy={y(v)} r={3} className={seriesColor(k).fill}>
                        <title>{`${when(i)}, ${s.name}: ${formatValue(v, spec.format)}`}</title>
                      </circle>
                    ),
                  )}
                </g>
              );
            })}
        {hasData ? null : (
          <text x={(W + PAD.left) / 2} y={H / 2} textAnchor="middle" className="fill-slate-500 text-[13px]">
            {spec.empty}
          </text>
        )}
      </svg>
    </figure>
  );
}
