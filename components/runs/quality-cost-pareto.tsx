// The run's prompts that no other beats on both quality and cost (with acceptance objectives set): the
// user reads the trade-off and picks. Shown only when the set is small enough to read at a glance.
import { qualityCostPareto } from "@/lib/core/report";
import type { RunReport } from "@/lib/validation/run-state";
import { pct } from "./format";
import { SaveCandidateButton } from "./save-candidate-button";

const MAX_ROWS = 12;

/** With `save` (an editor's view), each candidate of the set can be saved as a version. */
export function QualityCostPareto({
  report,
  save,
}: {
  report: RunReport | null;
  save?: { project: string; task: string; runId: string } | null;
}) {
  if (report?.kind !== "optimize") return null;
  const { unit, points } = qualityCostPareto(report);
  if (points.length === 0 || points.length > MAX_ROWS) return null;
  const cost = (p: (typeof points)[number]) =>
    unit === "usd"
      ? `$${p.measures.costPerCall.toPrecision(3)}`
      : `${Math.round(p.measures.tokensPerCall)} tokens`;
  return (
    <div className="mt-6">
      <h3 className="text-sm font-semibold text-slate-900">Quality against cost</h3>
      <p className="mt-1 text-sm text-slate-600">
        The prompts no other prompt beats on both validation score and cost per call. Pick the trade-off that
        suits you.
      </p>
      <table className="mt-2 w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-4">
              Prompt
            </th>
            <th scope="col" className="py-1 pr-4">
              Validation score
            </th>
            <th scope="col" className="py-1 pr-4">
              Cost per call
            </th>
            <th scope="col" className="py-1 pr-4">
              Prompt length
            </th>
            <th scope="col" className="py-1 pr-4">
              Latency
            </th>
            {save ? (
              <th scope="col" className="py-1 pr-4">
                <span className="sr-only">Save</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={`${p.iteration}-${p.candidate ?? "baseline"}`} className="border-t border-slate-100">
              <td className="py-1 pr-4">
                {p.candidate === null ? "Baseline" : `Iteration ${p.iteration}, candidate ${p.candidate}`}
                {p.accepted ? " (accepted)" : ""}
              </td>
              <td className="py-1 pr-4">{pct(p.validationScore)}</td>
              <td className="py-1 pr-4">{cost(p)}</td>
              <td className="py-1 pr-4">{p.measures.promptChars} characters</td>
              <td className="py-1 pr-4">{Math.round(p.measures.latencyMs)} ms</td>
              {save ? (
                <td className="py-1 pr-4">
                  {p.candidate === null ? null : (
                    <SaveCandidateButton
                      project={save.project}
                      task={save.task}
                      prompt={candidatePrompt(report, p.iteration, p.candidate)}
                      message={`Iteration ${p.iteration}, candidate ${p.candidate} of run ${save.runId}: a quality-cost trade-off`}
                    />
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The prompt of candidate `index` of iteration `iteration`, as the report recorded it. */
function candidatePrompt(report: RunReport & { kind: "optimize" }, iteration: number, index: number) {
  const it = report.iterations.find((i) => i.index === iteration);
  const candidate = it?.candidates.find((c) => c.index === index);
  return candidate?.prompt ?? report.best;
}
