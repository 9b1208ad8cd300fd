// The verdict of a finished run. Optimize: baseline vs final on the held-out test split, each with its
// 95% interval, and the paired gain. Eval: the score with its interval and the mean of each metric.
import type { StopReason } from "@/lib/core/report";
import type { Interval } from "@/lib/core/types";
import type { RunScore } from "@/lib/services/runs/reads";
import type { RunReport as StoredReport } from "@/lib/validation/run-state";
import type { RunStatus } from "@/lib/validation/runs";
import { durationText, gainText, gainVerdict, intervalText, pct } from "./format";
import { IntervalBar } from "./interval-bar";

export const STOP_REASONS: Record<StopReason, string> = {
  target_reached: "the target score was reached",
  patience: "no improvement for the patience limit",
  max_iterations: "the iteration limit was reached",
  no_failures: "the incumbent failed no training example",
  budget_calls: "the call budget ran out",
  budget_tokens: "the token budget ran out",
  budget_costUsd: "the cost budget ran out",
  budget_wallSeconds: "the time budget ran out",
};

const VERDICTS = {
  improvement: {
    symbol: "▲",
    text: "Improvement: the 95% interval of the gain is above zero",
    tone: "text-emerald-800",
  },
  regression: {
    symbol: "▼",
    text: "Regression: the 95% interval of the gain is below zero",
    tone: "text-red-800",
  },
  "no clear change": {
    symbol: "●",
    text: "No clear change: the 95% interval of the gain includes zero",
    tone: "text-slate-700",
  },
};

function ScoreRow({
  label,
  detail,
  interval,
  tone,
}: {
  label: string;
  detail?: string;
  interval: Interval;
  tone: "indigo" | "slate";
}) {
  return (
    <tr>
      <th scope="row" className="py-2 pr-4 text-left font-medium">
        {label}
        {detail ? <div className="text-xs font-normal text-slate-500">{detail}</div> : null}
      </th>
      <td className="py-2 pr-4 text-right text-lg font-semibold tabular-nums">{pct(interval.mean)}</td>
      <td className="py-2 pr-4 whitespace-nowrap tabular-nums text-slate-600">
        [{pct(interval.low)}, {pct(interval.high)}]
      </td>
      <td className="hidden w-1/3 py-2 sm:table-cell">
        <IntervalBar interval={interval} tone={tone} />
      </td>
    </tr>
  );
}

/** Why a run has no report, by its status. */
const NO_REPORT: Record<RunStatus, string> = {
  queued: "No report yet: it is written when the run finishes.",
  running: "No report yet: it is written when the run finishes.",
  succeeded: "No report: the run finished without one.",
  cancelled:
    "No report: the run was cancelled before its held-out test. Resume it to finish, or start a new run.",
  failed: "No report: the run failed before its held-out test. Resume it to finish, or start a new run.",
};

export function RunReport({
  status,
  score,
  report,
  baselineVersion,
  bestVersion,
}: {
  status: RunStatus;
  score: RunScore | null;
  report: StoredReport | null;
  baselineVersion: number;
  bestVersion: number | null;
}) {
  if (!score || !report) return <p className="text-sm text-slate-600">{NO_REPORT[status]}</p>;
  if (score.kind === "eval") {
    if (report.kind !== "eval") return null;
    const metrics = Object.entries(report.metrics);
    const failed = report.failed;
    return (
      <div className="space-y-4">
        <table className="w-full text-sm">
          <caption className="sr-only">Evaluated score with its 95% interval</caption>
          <tbody>
            <ScoreRow
              label="Score"
              detail={`version ${baselineVersion}, ${score.score.n} examples`}
              interval={score.score}
              tone="indigo"
            />
          </tbody>
        </table>
        {metrics.length ? (
          <p className="text-sm text-slate-700">
            Metrics: {metrics.map(([name, value]) => `${name} ${pct(value)}`).join(" · ")}
            {failed ? ` · ${failed} failed calls` : ""}
          </p>
        ) : null}
      </div>
    );
  }
  if (report.kind !== "optimize") return null;
  const r = report;
  const verdict = VERDICTS[gainVerdict(score.gain)];
  return (
    <div className="space-y-4">
      <table className="w-full text-sm">
        <caption className="mb-2 text-left text-xs text-slate-500">
          Held-out test split ({score.best.n} examples
          {score.complete ? "" : ", incomplete: the budget ran out"}), mean score with its 95% bootstrap
          interval
        </caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Prompt</th>
            <th scope="col">Score</th>
            <th scope="col">95% interval</th>
            <th scope="col" className="hidden sm:table-cell">
              Interval chart
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          <ScoreRow
            label="Baseline"
            detail={`version ${baselineVersion}`}
            interval={score.baseline}
            tone="slate"
          />
          <ScoreRow
            label="Final"
            detail={
              r.bestOrigin === null
                ? "the baseline, never beaten"
                : bestVersion !== null
                  ? `version ${bestVersion}`
                  : undefined
            }
            interval={score.best}
            tone="indigo"
          />
        </tbody>
      </table>
      <p className={`text-sm ${verdict.tone}`} data-verdict={gainVerdict(score.gain)}>
        <span aria-hidden="true">{verdict.symbol} </span>
        <strong>Gain {gainText(score.gain)}.</strong> {verdict.text}.
      </p>
      <dl className="grid gap-x-6 gap-y-2 text-sm text-slate-700 sm:grid-cols-2">
        <div>
          <dt className="inline text-slate-500">Validation: </dt>
          <dd className="inline">
            {pct(r.validation.baseline)} → {pct(r.validation.best)}
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Splits: </dt>
          <dd className="inline">
            {r.splits.train} train · {r.splits.validation} validation · {r.splits.test} test
            {r.splits.folds ? ` · ${r.splits.folds} folds` : ""}
          </dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Stopped because: </dt>
          <dd className="inline">{STOP_REASONS[r.stopReason]}</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Elapsed: </dt>
          <dd className="inline">{durationText(r.elapsedMs)}</dd>
        </div>
        {r.bestOrigin ? (
          <div>
            <dt className="inline text-slate-500">Winner: </dt>
            <dd className="inline">
              iteration {r.bestOrigin.iteration}, candidate {r.bestOrigin.candidate}
            </dd>
          </div>
        ) : (
          <div>
            <dt className="inline text-slate-500">Winner: </dt>
            <dd className="inline">the baseline was never beaten</dd>
          </div>
        )}
      </dl>
      <p className="sr-only">
        Baseline {intervalText(score.baseline)}; final {intervalText(score.best)}.
      </p>
    </div>
  );
}
