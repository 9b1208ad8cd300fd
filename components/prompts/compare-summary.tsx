// Beyond the text diff of two versions: their scores on each dataset version both were evaluated on,
// the model parameters and serving model that differ, and how their variables differ.
import { Fragment } from "react";
import type { VersionComparison } from "@/lib/validation/prompt-compare";
import { EvaluationText, VariableChangesText } from "./labels/change-preview";

const PARAM_LABELS: Record<string, string> = {
  temperature: "Temperature",
  maxOutputTokens: "Max output tokens",
  topP: "Top p",
  seed: "Seed",
};

const names = (list: string[]) =>
  list.map((name, i) => (
    <Fragment key={name}>
      {i ? ", " : null}
      <code>{name}</code>
    </Fragment>
  ));

export function CompareSummary({ project, comparison }: { project: string; comparison: VersionComparison }) {
  const { from, to, scores, params, model, variables } = comparison;
  const variableChanges = variables.added.length + variables.removed.length + variables.changed.length;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div className="min-w-0 lg:col-span-2">
        <h3 className="mb-2 text-sm font-semibold">Scores on the same dataset</h3>
        {scores.length === 0 ? (
          <p className="text-sm text-slate-600">
            No dataset version has a score of both versions yet. Evaluate them on the same dataset to compare.
          </p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-3">
                    Dataset
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Version {from.version}
                  </th>
                  <th scope="col" className="py-1">
                    Version {to.version}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {scores.map((row) => (
                  <tr key={row.dataset.versionId} className="align-top">
                    <td className="py-2 pr-3 whitespace-nowrap">
                      {row.dataset.name} v{row.dataset.version}
                      {row.sameRun ? <span className="block text-xs text-slate-500">same run</span> : null}
                    </td>
                    <td className="py-2 pr-3">
                      <EvaluationText project={project} evaluation={row.from} />
                    </td>
                    <td className="py-2">
                      <EvaluationText project={project} evaluation={row.to} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold">Model and parameters</h3>
        {params.length === 0 && !model.changed ? (
          <p className="text-sm text-slate-600">The same model and parameters.</p>
        ) : (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Parameter changes">
            {model.changed ? (
              <>
                <dt className="text-slate-500">Serving model</dt>
                <dd>
                  <code>{model.from ?? "sim:default"}</code> <span aria-hidden="true">→</span>
                  <span className="sr-only">to</span> <code>{model.to ?? "sim:default"}</code>
                </dd>
              </>
            ) : null}
            {params.map((p) => (
              <Fragment key={p.name}>
                <dt className="text-slate-500">{PARAM_LABELS[p.name] ?? p.name}</dt>
                <dd className="tabular-nums">
                  {p.from ?? "default"} <span aria-hidden="true">→</span>
                  <span className="sr-only">to</span> {p.to ?? "default"}
                </dd>
              </Fragment>
            ))}
          </dl>
        )}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold">Variables</h3>
        {variableChanges === 0 ? (
          <p className="text-sm text-slate-600">The same variables.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {variables.added.length ? <li>Added: {names(variables.added)}</li> : null}
            {variables.removed.length ? <li>Removed: {names(variables.removed)}</li> : null}
            {variables.changed.length ? (
              <li>Changed (type, default or required): {names(variables.changed)}</li>
            ) : null}
          </ul>
        )}
        <p className="mt-2 text-sm">
          <VariableChangesText changes={variables.required} />
        </p>
      </div>
    </div>
  );
}
