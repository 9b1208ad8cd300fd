// Validation scores per iteration as a plain SVG chart (no chart library): the incumbent each iteration
// compared against (a line; iteration 1's is the baseline, dashed across), every candidate that reached
// validation with the 95% interval of its paired gain over that incumbent (incumbent + [low, high]), and
// the incumbent's 95% interval on the training examples (grey band). Accepted candidates are filled
// and ticked. The numbers are also in the iterations table; the chart's label sums them up.
import { iterationAxis, scoreScale } from "./chart-scale";
import { pct, points } from "./format";
import type { LiveIteration } from "./live-state";

const W = 640;
const H = 240;
const PAD = { left: 44, right: 16, top: 14, bottom: 34 };

/** Every score the chart draws, so the y axis covers them all. */
function chartValues(iterations: LiveIteration[]): number[] {
  const values: number[] = [];
  for (const it of iterations) {
    values.push(it.incumbentScore);
    const train = it.summary.incumbentTrain;
    values.push(train.low, train.high);
    for (const c of it.candidates) {
      if (c.validationScore !== null) values.push(c.validationScore);
      if (c.gainLow !== null && c.gainHigh !== null)
        values.push(it.incumbentScore + c.gainLow, it.incumbentScore + c.gainHigh);
    }
  }
  return values;
}

// Each <title> gets one string child: React's server renderer writes a <title> with several children
// empty, and the client then fails to hydrate the page (React error #418).
export function ScoreChart({ iterations }: { iterations: LiveIteration[] }) {
  const axis = iterationAxis(iterations);
  const last = axis.length;
  const { lo, hi, ticks } = scoreScale(chartValues(iterations));
  const x = (iteration: number) => PAD.left + ((iteration - 0.5) / last) * (W - PAD.left - PAD.right);
  const y = (score: number) =>
    PAD.top + (1 - (Math.min(hi, Math.max(lo, score)) - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const slot = ((W - PAD.left - PAD.right) / last) * 0.6;
  const baseline = iterations[0]?.incumbentScore;
  const incumbentPath = iterations
    .map((it, i) => `${i === 0 ? "M" : "L"}${x(it.index).toFixed(1)},${y(it.incumbentScore).toFixed(1)}`)
    .join(" ");
  const evaluated = iterations.flatMap((it) => it.candidates.filter((c) => c.validationScore !== null));
  const best = Math.max(
    ...iterations.flatMap((it) => [it.incumbentScore, ...it.candidates.map((c) => c.validationScore ?? 0)]),
  );
  const label =
    iterations.length === 0
      ? "Validation scores per iteration: no iteration has finished yet."
      : `Validation scores per iteration: ${iterations.length} iteration${iterations.length === 1 ? "" : "s"}, baseline ${pct(baseline ?? 0)}, ${evaluated.length} candidate${evaluated.length === 1 ? "" : "s"} validated, best ${pct(best)}.`;

  return (
    <figure className="space-y-2" data-testid="score-chart" data-iterations={iterations.length}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={label}
        className="h-auto w-full max-w-3xl text-slate-500"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-slate-100" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {Math.round(t * 100)}%
            </text>
          </g>
        ))}
        {axis.map((iteration) => (
          <text
            key={iteration}
            x={x(iteration)}
            y={H - PAD.bottom + 16}
            textAnchor="middle"
            className="fill-slate-500 text-[11px]"
          >
            {iteration}
          </text>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 4} textAnchor="middle" className="fill-slate-600 text-[11px]">
          Iteration
        </text>
        {baseline !== undefined ? (
          <line
            x1={PAD.left}
            x2={W - PAD.right}
            y1={y(baseline)}
            y2={y(baseline)}
            strokeDasharray="4 4"
            className="stroke-slate-400"
          />
        ) : null}
        {iterations.map((it) => {
          const train = it.summary.incumbentTrain;
          return (
            <rect
              key={`train-${it.index}`}
              x={x(it.index) - slot / 2}
              width={slot}
              y={y(train.high)}
              height={Math.max(1, y(train.low) - y(train.high))}
              className="fill-slate-200/70"
            >
              <title>{`Iteration ${it.index}: incumbent on training examples, 95% interval [${pct(train.low)}, ${pct(train.high)}]`}</title>
            </rect>
          );
        })}
        {iterations.length > 1 ? (
          <path d={incumbentPath} fill="none" strokeWidth={2} className="stroke-slate-700" />
        ) : null}
        {iterations.map((it) => (
          <rect
            key={`inc-${it.index}`}
            data-chart-point="incumbent"
            x={x(it.index) - 4}
            y={y(it.incumbentScore) - 4}
            width={8}
            height={8}
            className="fill-slate-700"
          >
            <title>{`Iteration ${it.index}: incumbent ${pct(it.incumbentScore)} on validation${it.index === 1 ? " (the baseline)" : ""}`}</title>
          </rect>
        ))}
        {iterations.map((it) => {
          const shown = it.candidates.filter((c) => c.validationScore !== null);
          return shown.map((c, j) => {
            const cx = x(it.index) + (j - (shown.length - 1) / 2) * 12 + 10;
            const score = c.validationScore as number;
            const hasGain = c.gainLow !== null && c.gainHigh !== null;
            const top = hasGain ? y(it.incumbentScore + (c.gainHigh as number)) : null;
            const bottom = hasGain ? y(it.incumbentScore + (c.gainLow as number)) : null;
            const tone = c.accepted ? "emerald" : "indigo";
            return (
              <g key={`cand-${it.index}-${c.index}`} data-chart-point="candidate" data-accepted={c.accepted}>
                {top !== null && bottom !== null ? (
                  <>
                    <line
                      x1={cx}
                      x2={cx}
                      y1={top}
                      y2={bottom}
                      strokeWidth={1.5}
                      className={tone === "emerald" ? "stroke-emerald-600" : "stroke-indigo-400"}
                    />
                    <line x1={cx - 3} x2={cx + 3} y1={top} y2={top} className="stroke-slate-400" />
                    <line x1={cx - 3} x2={cx + 3} y1={bottom} y2={bottom} className="stroke-slate-400" />
                  </>
                ) : null}
                <circle
                  cx={cx}
                  cy={y(score)}
                  r={4.5}
                  strokeWidth={2}
                  className={
                    c.accepted ? "fill-emerald-600 stroke-emerald-800" : "fill-white stroke-indigo-600"
                  }
                />
                <title>
                  {`Iteration ${it.index}, candidate ${c.index}: ${pct(score)} on validation${
                    hasGain
                      ? `, gain over the incumbent [${points(c.gainLow as number)}, ${points(c.gainHigh as number)}] (95%)`
                      : ""
                  }${c.accepted ? ", accepted" : ""}`}
                </title>
              </g>
            );
          });
        })}
        {iterations.length === 0 ? (
          <text x={(W + PAD.left) / 2} y={H / 2} textAnchor="middle" className="fill-slate-400 text-[13px]">
            Points appear as iterations finish
          </text>
        ) : null}
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block size-2 bg-slate-700" /> Incumbent (validation)
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block h-0 w-4 border-t border-dashed border-slate-400" />{" "}
          Baseline
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block h-3 w-2 bg-slate-200" /> Incumbent, train 95%
          interval
        </span>
        <span className="inline-flex items-center gap-1">
          <span
            aria-hidden="true"
            className="inline-block size-2.5 rounded-full border-2 border-indigo-600"
          />{" "}
          Candidate (validation) with the 95% interval of its gain
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="inline-block size-2.5 rounded-full bg-emerald-600" /> Accepted
        </span>
      </figcaption>
    </figure>
  );
}
