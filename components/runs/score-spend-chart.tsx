// Held-out score against spend, one point per run with its 95% interval: where comparing strategies (or
// models) is decided — higher is better, further left is cheaper. Spend is the cost when any run has one,
// else the model calls.
import type { ComparedRun } from "@/lib/services/runs/compare";
import { scoreScale } from "./chart-scale";
import { pct } from "./format";

const W = 560;
const H = 260;
const PAD = { left: 48, right: 16, top: 14, bottom: 40 };

export function ScoreSpendChart({ runs }: { runs: ComparedRun[] }) {
  const points = runs.flatMap((c) =>
    c.run.score?.kind === "optimize"
      ? [
          {
            id: c.run.id,
            label: c.run.config.optimizer.strategy,
            score: c.run.score.best,
            calls: c.run.calls,
            cost: c.run.costUsd,
          },
        ]
      : [],
  );
  if (points.length === 0) return null;
  const byCost = points.some((p) => p.cost > 0);
  const spend = (p: (typeof points)[number]) => (byCost ? p.cost : p.calls);
  const xMax = Math.max(...points.map(spend)) * 1.1 || 1;
  const scale = scoreScale(points.flatMap((p) => [p.score.low, p.score.high]));
  const [yTicks, yMin, yMax] = [scale.ticks, scale.lo, scale.hi];
  const x = (v: number) => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - ((v - yMin) / (yMax - yMin || 1)) * (H - PAD.top - PAD.bottom);
  const unit = byCost ? "cost (USD)" : "model calls";
  return (
    <figure className="relative overflow-x-auto">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="w-full max-w-2xl"
        role="img"
        aria-labelledby="score-spend-title"
      >
        <title id="score-spend-title">{`Held-out score against ${unit}, one point per run with its 95% interval`}</title>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#475569">
              {pct(t)}
            </text>
          </g>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 8} textAnchor="middle" fontSize="11" fill="#475569">
          {`${unit} →`}
        </text>
        {points.map((p) => (
          <g key={p.id} data-point={p.label}>
            <line
              x1={x(spend(p))}
              x2={x(spend(p))}
              y1={y(p.score.low)}
              y2={y(p.score.high)}
              stroke="#4f46e5"
            />
            <circle cx={x(spend(p))} cy={y(p.score.mean)} r="4" fill="#4f46e5" />
            {/* Labels of points in the right half go to their left, so they are never cut off. */}
            <text
              x={x(spend(p)) + (x(spend(p)) > W / 2 ? -7 : 7)}
              y={y(p.score.mean) - 6}
              textAnchor={x(spend(p)) > W / 2 ? "end" : "start"}
              fontSize="11"
              fill="#1e293b"
            >
              {`${p.label} · ${pct(p.score.mean)} · ${byCost ? `$${p.cost.toFixed(2)}` : `${p.calls} calls`}`}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="text-xs text-slate-600">
        Held-out test score of each run's final prompt (bars: 95% interval) against what the run spent.
      </figcaption>
    </figure>
  );
}
