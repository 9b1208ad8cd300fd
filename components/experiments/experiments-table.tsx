// The project's experiments: what each compares, where it stands, and how it ended.
import Link from "next/link";
import type { ExperimentView } from "@/lib/validation/experiments";
import { ExperimentStatusBadge } from "./experiment-status";

export function ExperimentsTable({
  project,
  experiments,
}: {
  project: string;
  experiments: ExperimentView[];
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Experiments, newest first</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Experiment
            </th>
            <th scope="col" className="py-2 pr-4">
              Prompt and label
            </th>
            <th scope="col" className="py-2 pr-4">
              Versions
            </th>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Subjects
            </th>
            <th scope="col" className="py-2">
              Outcome
            </th>
          </tr>
        </thead>
        <tbody>
          {experiments.map((e) => (
            <tr key={e.id} className="border-b border-slate-100 align-top">
              <td className="py-2 pr-4">
                <Link
                  href={`/projects/${project}/experiments/${e.id}`}
                  className="font-medium text-indigo-700 hover:underline"
                >
                  {e.name}
                </Link>
                {e.mode === "bandit" ? <span className="ml-2 text-xs text-slate-500">bandit</span> : null}
              </td>
              <td className="py-2 pr-4">
                {e.task} · <code>{e.label}</code>
              </td>
              <td className="py-2 pr-4">{e.variants.map((v) => `v${v.version}`).join(" vs ")}</td>
              <td className="py-2 pr-4">
                <ExperimentStatusBadge status={e.status} />
              </td>
              <td className="py-2 pr-4 tabular-nums">
                {e.variants.reduce((sum, v) => sum + v.exposures, 0).toLocaleString("en")} of{" "}
                {(e.plannedSamplePerVariant * e.variants.length).toLocaleString("en")} planned
              </td>
              <td className="py-2 text-slate-700">{e.decisionReason ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
