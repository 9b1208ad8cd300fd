// A table of runs (the overview's recent runs and the runs list): status, task, kind, models, score,
// timing. On the runs list each row has a checkbox of the compare form (`compareForm`: its id).
import Link from "next/link";
import { Time } from "@/components/ui/page";
import { StatusBadge } from "@/components/ui/status-badge";
import type { RunSummary } from "@/lib/services/runs/reads";
import { count, durationText, runDuration, usd } from "./format";
import { RunScoreText } from "./run-score";

/** "sim:default", or "task → optimizer" when the two roles use different models. */
function modelsText(models: RunSummary["models"]): string {
  if (!models) return "–";
  return models.task === models.optimizer ? models.task : `${models.task} · optimizer ${models.optimizer}`;
}

export function RunsTable({
  project,
  runs,
  caption,
  compareForm,
}: {
  project: string;
  runs: RunSummary[];
  caption: string;
  /** The id of the form whose `ids` the rows' checkboxes fill (the runs list's Compare). */
  compareForm?: string;
}) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            {compareForm ? (
              <th scope="col" className="py-2 pr-3">
                <span className="sr-only">Select to compare</span>
              </th>
            ) : null}
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Task
            </th>
            <th scope="col" className="py-2 pr-4">
              Kind
            </th>
            <th scope="col" className="py-2 pr-4">
              Model
            </th>
            <th scope="col" className="py-2 pr-4">
              <abbr title="Held-out test score: baseline → final (gain)" className="no-underline">
                Best score
              </abbr>
            </th>
            <th scope="col" className="py-2 pr-4">
              Started
            </th>
            <th scope="col" className="py-2 pr-4 text-right">
              Took
            </th>
            <th scope="col" className="py-2 text-right">
              Calls · cost
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => {
            const took = runDuration(run);
            return (
              <tr key={run.id} data-run-id={run.id}>
                {compareForm ? (
                  <td className="py-2 pr-3">
                    <input
                      type="checkbox"
                      name="ids"
                      value={run.id}
                      form={compareForm}
                      // It fills the GET compare form (a link, not a write): viewers may use it.
                      data-readonly-control=""
                      aria-label={`Compare the run of ${run.taskName} ${run.id.slice(0, 10)}`}
                    />
                  </td>
                ) : null}
                <td className="py-2 pr-4">
                  <StatusBadge status={run.status} />
                  {run.status === "running" && run.progress?.step ? (
                    <div className="mt-0.5 text-xs text-slate-500">
                      {run.progress.step}
                      {run.progress.iteration > 0 ? `, iteration ${run.progress.iteration}` : ""}
                    </div>
                  ) : null}
                </td>
                <td className="py-2 pr-4">
                  <Link
                    href={`/projects/${project}/runs/${run.id}`}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    {run.taskName}
                    <span className="sr-only"> run {run.id}</span>
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{run.id.slice(0, 10)}</div>
                </td>
                <td className="py-2 pr-4">{run.kind === "optimize" ? "optimize" : "eval"}</td>
                <td className="max-w-48 break-words py-2 pr-4 font-mono text-xs text-slate-700">
                  {modelsText(run.models)}
                </td>
                <td className="py-2 pr-4">
                  <RunScoreText score={run.score} />
                </td>
                <td className="py-2 pr-4 whitespace-nowrap text-slate-600">
                  <Time value={run.startedAt ?? run.createdAt} />
                </td>
                <td className="py-2 pr-4 text-right tabular-nums text-slate-600">
                  {took === null ? "–" : durationText(took)}
                </td>
                <td className="py-2 text-right tabular-nums text-slate-600">
                  {count(run.calls)} · {usd(run.costUsd)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
