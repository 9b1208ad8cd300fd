// The winner of a finished optimization: whether it is saved as a prompt version (save it, editor+), and
// what it changed: the side-by-side diff from the baseline prompt to the winning prompt, field by field.
import Link from "next/link";
import { FieldDiffTable } from "@/components/prompts/side-by-side-diff";
import { diffPromptContent } from "@/lib/core/prompt-diff";
import type { ProjectRunDetail } from "@/lib/services/runs/reads";
import { SaveWinnerButton } from "./save-winner-button";

export function RunWinner({
  project,
  run,
  canEdit,
  labels = [],
}: {
  project: string;
  run: ProjectRunDetail;
  canEdit: boolean;
  /** Labels on the saved winner's version. */
  labels?: string[];
}) {
  const { report, winner } = run;
  const baselineVersion = run.references.baselineVersion.version;
  const taskHref = `/projects/${project}/prompts/${encodeURIComponent(run.taskName)}`;
  if (report?.kind !== "optimize")
    return <p className="text-sm text-slate-600">The winner is known when the run has finished.</p>;
  const fields = diffPromptContent(report.baseline, report.best);
  const changed = fields.filter((f) => f.added + f.removed > 0);
  const unchanged = fields.filter((f) => f.added + f.removed === 0);
  const origin = report.bestOrigin;
  const winnerLabel = winner.version !== null ? `Version ${winner.version} (winner)` : "Winner (not saved)";

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3" data-testid="run-winner">
        {winner.saved && winner.version !== null ? (
          <p className="text-sm">
            <span aria-hidden="true" className="text-emerald-700">
              ✓{" "}
            </span>
            The winner
            {origin ? ` (iteration ${origin.iteration}, candidate ${origin.candidate})` : ""} is saved as{" "}
            <Link
              href={`${taskHref}?version=${winner.version}`}
              className="font-medium text-indigo-700 hover:underline"
            >
              version {winner.version}
            </Link>{" "}
            of {run.taskName}
            {labels.length ? (
              <>
                , labelled{" "}
                {labels.map((label, i) => (
                  <span key={label}>
                    {i ? ", " : null}
                    <code>{label}</code>
                  </span>
                ))}
              </>
            ) : null}{" "}
            ·{" "}
            <Link
              href={`${taskHref}/diff?from=${baselineVersion}&to=${winner.version}`}
              className="text-indigo-700 underline"
            >
              compare with version {baselineVersion}
            </Link>
          </p>
        ) : winner.available ? (
          <>
            <p className="text-sm text-slate-700">
              The winner{origin ? ` (iteration ${origin.iteration}, candidate ${origin.candidate})` : ""} beat
              the baseline (version {baselineVersion}) and is not saved as a prompt version yet.
              {canEdit ? "" : " An editor can save it."}
            </p>
            {canEdit ? <SaveWinnerButton project={project} runId={run.id} task={run.taskName} /> : null}
          </>
        ) : changed.length === 0 ? (
          <p className="text-sm text-slate-700">
            The baseline (version {baselineVersion}) was never beaten: there is no new prompt to save.
          </p>
        ) : (
          <p className="text-sm text-slate-700">
            The run did not finish with a winner that can be saved ({run.status}).
          </p>
        )}
      </div>
      {changed.length > 0 ? (
        <>
          <p className="text-xs text-slate-600">
            The accepted prompt against the baseline. Legend:{" "}
            <span className="font-bold text-red-700">−</span> removed (left, version {baselineVersion}),{" "}
            <span className="font-bold text-emerald-700">+</span> added (right, the winner).
            {unchanged.length ? ` Unchanged: ${unchanged.map((f) => f.label).join(", ")}.` : ""}
          </p>
          <div className="space-y-4">
            {changed.map((field) => (
              <FieldDiffTable
                key={field.field}
                diff={field}
                from={baselineVersion}
                to={winner.version ?? baselineVersion}
                labels={{ from: `Version ${baselineVersion} (baseline)`, to: winnerLabel }}
              />
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
