// Every candidate the optimizer proposed, by iteration: scores, the gain interval over the incumbent,
// the rationale and the prompts (collapsed; open one to read it).
import type { RunCandidate } from "@/lib/validation/runs";
import { pct, points } from "./format";

function CandidateStatus({ candidate }: { candidate: RunCandidate }) {
  if (candidate.accepted)
    return (
      <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
        <span aria-hidden="true">✓ </span>accepted
      </span>
    );
  if (candidate.status === "rejected")
    return (
      <span className="rounded bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800">
        <span aria-hidden="true">✕ </span>rejected
      </span>
    );
  return (
    <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
      {candidate.status}
    </span>
  );
}

function PromptBlock({ label, text }: { label: string; text: string }) {
  return (
    <div className="min-w-0">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs">
        {text || <span className="text-slate-400">(empty)</span>}
      </pre>
    </div>
  );
}

export function RunCandidates({ candidates }: { candidates: RunCandidate[] }) {
  if (candidates.length === 0) return <p className="text-sm text-slate-600">No candidates yet.</p>;
  const iterations = [...new Set(candidates.map((c) => c.iteration))];
  return (
    <div className="space-y-6">
      {iterations.map((iteration) => (
        <div key={iteration}>
          <h3 className="mb-2 text-sm font-semibold">Iteration {iteration}</h3>
          <ul className="space-y-2">
            {candidates
              .filter((c) => c.iteration === iteration)
              .map((c) => (
                <li key={c.id} className="rounded-md border border-slate-200">
                  <details>
                    <summary className="flex cursor-pointer flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-sm">
                      <span className="font-medium">Candidate {c.index}</span>
                      <CandidateStatus candidate={c} />
                      <span className="tabular-nums text-slate-600">
                        train {c.trainScore !== null ? pct(c.trainScore) : "–"}
                      </span>
                      <span className="tabular-nums text-slate-600">
                        validation {c.validationScore !== null ? pct(c.validationScore) : "–"}
                      </span>
                      {c.gainLow !== null && c.gainHigh !== null ? (
                        <span className="tabular-nums text-slate-600">
                          gain [{points(c.gainLow)}, {points(c.gainHigh)}]
                        </span>
                      ) : null}
                      {c.rejectReason ? <span className="text-xs text-red-800">{c.rejectReason}</span> : null}
                    </summary>
                    <div className="space-y-3 border-t border-slate-200 px-3 py-3">
                      {c.rationale ? (
                        <p className="text-sm text-slate-700">
                          <span className="font-medium">Rationale: </span>
                          {c.rationale}
                        </p>
                      ) : null}
                      <div className="grid gap-3 lg:grid-cols-2">
                        <PromptBlock label="System prompt" text={c.systemPrompt} />
                        <PromptBlock label="Output prompt" text={c.outputPrompt} />
                      </div>
                      {c.demos.length ? (
                        <p className="text-xs text-slate-600">{c.demos.length} demos</p>
                      ) : null}
                    </div>
                  </details>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
