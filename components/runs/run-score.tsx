// A run's headline score in one line: baseline → final on held-out data (optimize) or the score (eval).
import type { RunScore } from "@/lib/services/runs/reads";
import { gainVerdict, pct, points } from "./format";

export function RunScoreText({ score }: { score: RunScore | null }) {
  if (!score) return <span className="text-slate-400">–</span>;
  if (score.kind === "eval") return <span className="tabular-nums">{pct(score.score.mean)}</span>;
  const verdict = gainVerdict(score.gain);
  return (
    <span className="tabular-nums">
      <span className="text-slate-500">{pct(score.baseline.mean)}</span>
      <span aria-hidden="true"> → </span>
      <span className="sr-only"> to </span>
      <strong className="font-semibold">{pct(score.best.mean)}</strong>{" "}
      <span
        className={`text-xs ${verdict === "improvement" ? "text-emerald-700" : verdict === "regression" ? "text-red-700" : "text-slate-500"}`}
        title={verdict}
      >
        ({points(score.gain.mean)})
      </span>
    </span>
  );
}
