// One line per variant over the experiment's analyses, as plain SVG (like the run's score chart): an
// optional band for each point's interval, the values in each point's <title>, and a caption that sums
// the chart up for screen readers.
import { variantColor, variantName } from "./variant-names";

const W = 640;
const H = 200;
const PAD = { left: 52, right: 16, top: 12, bottom: 30 };

export interface ChartPoint {
  value: number;
  low?: number | null;
  high?: number | null;
}

export interface VariantSeries {
  index: number;
  /** One point per analysis (null: not measured at that analysis). */
  points: (ChartPoint | null)[];
}

function domain(series: VariantSeries[], fixed?: [number, number]): [number, number] {
  if (fixed) return fixed;
  const values = series.flatMap((s) =>
    s.points.flatMap((p) => (p ? [p.value, p.low ?? p.value, p.high ?? p.value] : [])),
  );
  if (values.length === 0) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

export function VariantChart({
  title,
  series,
  times,
  format,
  fixed,
}: {
  title: string;
  series: VariantSeries[];
  /** When each analysis ran (ISO), for the points' titles. */
  times: string[];
  format: (value: number) => string;
  fixed?: [number, number];
}) {
  const count = times.length;
  const [lo, hi] = domain(series, fixed);
  const x = (i: number) => PAD.left + (count <= 1 ? 0.5 : i / (count - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) =>
    PAD.top + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const ticks = [lo, (lo + hi) / 2, hi];
  const latest = series
    .map((s) => {
      const last = s.points.at(-1);
      return last ? `${variantName(s.index)} ${format(last.value)}` : null;
    })
    .filter(Boolean)
    .join(", ");
  const label = `${title}: ${count} analys${count === 1 ? "is" : "es"}${latest ? `; latest ${latest}` : ""}.`;
  return (
    <figure className="space-y-1">
      <figcaption className="text-sm font-medium text-slate-800">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="h-auto w-full max-w-3xl">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-slate-100" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {format(t)}
            </text>
          </g>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 6} textAnchor="middle" className="fill-slate-600 text-[11px]">
          Analysis
        </text>
        {series.map((s) => {
          const color = variantColor(s.index);
          const drawn = s.points
            .map((p, i) => (p ? { ...p, i } : null))
            .filter((p): p is ChartPoint & { i: number } => p !== null);
          const path = drawn.map(
            (p, k) => `${k === 0 ? "M" : "L"}${x(p.i).toFixed(1)},${y(p.value).toFixed(1)}`,
          );
          return (
            <g key={s.index} data-variant={s.index}>
              {drawn.map((p) =>
                p.low != null && p.high != null ? (
                  <line
                    key={`band-${p.i}`}
                    x1={x(p.i) + s.index * 3}
                    x2={x(p.i) + s.index * 3}
                    y1={y(p.high)}
                    y2={y(p.low)}
                    strokeWidth={6}
                    strokeOpacity={0.2}
                    stroke={color}
                  />
                ) : null,
              )}
              {drawn.length > 1 ? (
                <path d={path.join(" ")} fill="none" strokeWidth={2} stroke={color} />
              ) : null}
              {drawn.map((p) => (
                <circle key={`pt-${p.i}`} cx={x(p.i) + s.index * 3} cy={y(p.value)} r={3.5} fill={color}>
                  <title>{`${variantName(s.index)}, analysis ${p.i + 1} (${times[p.i] ?? ""}): ${format(p.value)}${
                    p.low != null && p.high != null ? ` [${format(p.low)}, ${format(p.high)}]` : ""
                  }`}</title>
                </circle>
              ))}
            </g>
          );
        })}
        {count === 0 ? (
          <text x={(W + PAD.left) / 2} y={H / 2} textAnchor="middle" className="fill-slate-400 text-[13px]">
            Points appear after the first analysis
          </text>
        ) : null}
      </svg>
    </figure>
  );
}
