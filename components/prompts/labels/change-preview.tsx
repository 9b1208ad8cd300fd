// What moving a label from one version to another changes: the evaluations of both versions (score with
// its 95% interval, the dataset and the run), the variables callers must send, and the text diff.
import Link from "next/link";
import { intervalText } from "@/components/runs/format";
import type { FieldDiff } from "@/lib/core/prompt-diff";
import type { RequiredVariableChanges } from "@/lib/core/variables";
import type { VersionEvaluation } from "@/lib/validation/prompt-compare";
import { FieldDiffTable } from "../side-by-side-diff";

export function EvaluationText({
  project,
  evaluation,
  missing = "not evaluated yet",
}: {
  project: string;
  evaluation: VersionEvaluation | null;
  missing?: string;
}) {
  if (!evaluation) return <span className="text-slate-500">{missing}</span>;
  return (
    <span>
      <strong className="tabular-nums">{intervalText(evaluation.score)}</strong>{" "}
      <span className="text-slate-600">
        on {evaluation.dataset.name} v{evaluation.dataset.version} (
        {evaluation.split === "test" ? "held-out test split" : "all rows"}, {evaluation.score.n} examples) ·{" "}
        <Link href={`/projects/${project}/runs/${evaluation.runId}`} className="text-indigo-700 underline">
          {evaluation.kind === "eval" ? "evaluation" : `optimization (${evaluation.role})`}{" "}
          {evaluation.runId.slice(0, 8)}
        </Link>
      </span>
    </span>
  );
}

export function VariableChangesText({ changes }: { changes: RequiredVariableChanges }) {
  const parts = [
    changes.added.length ? `now needed: ${changes.added.join(", ")}` : null,
    changes.removed.length ? `no longer declared: ${changes.removed.join(", ")}` : null,
    changes.retyped.length ? `another type: ${changes.retyped.join(", ")}` : null,
  ].filter(Boolean);
  if (parts.length === 0)
    return <span className="text-slate-600">Callers send the same variables to both versions.</span>;
  return (
    <span className="text-amber-900">
      <span aria-hidden="true">⚠ </span>The variables callers must send change: {parts.join("; ")}.
    </span>
  );
}

export function ChangePreview({
  project,
  fromVersion,
  toVersion,
  fields,
  variableChanges,
  evaluations,
  openDiff = false,
  missing,
}: {
  project: string;
  openDiff?: boolean;
  /** What a side without an evaluation says. */
  missing?: string;
  /** null: the label does not exist yet. */
  fromVersion: number | null;
  toVersion: number;
  fields: FieldDiff[];
  variableChanges: RequiredVariableChanges;
  evaluations: { from: VersionEvaluation | null; to: VersionEvaluation | null };
}) {
  const changed = fields.filter((f) => f.added + f.removed > 0);
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid gap-2 sm:grid-cols-[auto_1fr] sm:gap-x-4">
        {fromVersion !== null ? (
          <>
            <dt className="text-slate-500">Version {fromVersion} (now)</dt>
            <dd>
              <EvaluationText project={project} evaluation={evaluations.from} missing={missing} />
            </dd>
          </>
        ) : null}
        <dt className="text-slate-500">Version {toVersion}</dt>
        <dd>
          <EvaluationText project={project} evaluation={evaluations.to} missing={missing} />
        </dd>
        <dt className="text-slate-500">Variables</dt>
        <dd>
          <VariableChangesText changes={variableChanges} />
        </dd>
      </dl>
      {fromVersion === null ? null : changed.length === 0 ? (
        <p className="text-slate-600">The prompts, demos and parameters are the same.</p>
      ) : (
        <details open={openDiff} className="rounded-md border border-slate-200 p-2">
          <summary className="cursor-pointer font-medium text-slate-800">
            Diff from version {fromVersion} to {toVersion} ({changed.map((f) => f.label).join(", ")})
          </summary>
          <div className="mt-2 space-y-3">
            {changed.map((field) => (
              <FieldDiffTable key={field.field} diff={field} from={fromVersion} to={toVersion} />
            ))}
          </div>
        </details>
      )}
    </div>
  );
}
