// The iterations of a run: the incumbent's scores, how many candidates were tried, the decision.
import type { RunCandidate, RunIteration } from "@/lib/validation/runs";
import { count, intervalText, pct } from "./format";

export function RunIterations({
  iterations,
  candidates,
}: {
  iterations: RunIteration[];
  candidates: RunCandidate[];
}) {
  if (iterations.length === 0)
    return <p className="text-sm text-slate-600">No iteration has finished yet.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Iterations of the optimization loop</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Iteration
            </th>
            <th scope="col" className="py-2 pr-4">
              Incumbent, train [95%]
            </th>
            <th scope="col" className="py-2 pr-4 text-right">
              Incumbent, validation
            </th>
            <th scope="col" className="py-2 pr-4 text-right">
              Candidates
            </th>
            <th scope="col" className="py-2 pr-4">
              Decision
            </th>
            <th scope="col" className="py-2 text-right">
              Calls
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {iterations.map((it) => {
            const { summary } = it;
            const mine = candidates.filter((c) => c.iteration === it.index);
            const evaluated = mine.filter((c) => c.status === "evaluated").length;
            const rejected = summary.rejectedProposals.length;
            return (
              <tr key={it.id}>
                <th scope="row" className="py-2 pr-4 font-medium">
                  {it.index}
                  <div className="text-xs font-normal text-slate-500">
                    {summary.trainExamples} train · {summary.validationExamples} validation
                  </div>
                </th>
                <td className="py-2 pr-4 tabular-nums">{intervalText(summary.incumbentTrain)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">{pct(it.incumbentScore)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {evaluated}/{mine.length}
                  {rejected ? (
                    <div className="text-xs text-slate-500">{rejected} unusable proposals</div>
                  ) : null}
                </td>
                <td className="py-2 pr-4">
                  {it.accepted ? (
                    <span className="font-medium text-emerald-800">
                      <span aria-hidden="true">✓ </span>accepted candidate {it.acceptedCandidate}
                    </span>
                  ) : (
                    <span className="text-slate-600">
                      <span aria-hidden="true">– </span>kept the incumbent
                    </span>
                  )}
                </td>
                <td className="py-2 text-right tabular-nums text-slate-600">{count(summary.usage.calls)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
