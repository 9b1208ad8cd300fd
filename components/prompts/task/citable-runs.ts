// The task's finished runs as the label forms offer them (the evaluation a label change cites).
import { pct } from "@/components/runs/format";
import type { RunSummary } from "@/lib/validation/runs";
import type { CitableRun } from "../labels/label-choices";

export function citableRuns(runs: RunSummary[]): CitableRun[] {
  return runs.map((run) => ({
    id: run.id,
    kind: run.kind,
    summary: !run.score
      ? run.status
      : run.score.kind === "eval"
        ? pct(run.score.score.mean)
        : `${pct(run.score.baseline.mean)} → ${pct(run.score.best.mean)}`,
    createdAt: new Date(run.createdAt).toISOString(),
  }));
}
