// The project's datasets with their newest version.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { DatasetSummary } from "@/lib/services/overview";

export function DatasetList({ project, datasets }: { project: string; datasets: DatasetSummary[] }) {
  if (datasets.length === 0) return <p className="text-sm text-slate-600">No datasets yet.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {datasets.map((d) => (
        <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
          <span className="min-w-0">
            <Link
              href={`/projects/${project}/datasets`}
              className="font-medium text-indigo-700 hover:underline"
            >
              {d.name}
            </Link>
            {d.latest ? (
              <span className="ml-2 text-xs text-slate-500">
                v{d.latest.version} · {d.latest.rowCount.toLocaleString("en-US")} rows ·{" "}
                <span title={d.latest.sourceName}>{d.latest.sourceName.split(/[\\/]/).pop()}</span>
              </span>
            ) : null}
          </span>
          <span className="text-xs text-slate-500">
            <Time value={d.latest?.createdAt ?? d.updatedAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
