// The batches of a project: status, task and prompt version, rows source, model, progress, cost.
import Link from "next/link";
import { count, usd } from "@/components/runs/format";
import { Time } from "@/components/ui/page";
import { StatusBadge } from "@/components/ui/status-badge";
import type { BatchSummary } from "@/lib/services/batches";
import { BatchProgressBar } from "./progress-bar";

export function BatchesTable({ project, batches }: { project: string; batches: BatchSummary[] }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Batches of this project, newest first</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2 pr-4">
              Task
            </th>
            <th scope="col" className="py-2 pr-4">
              Rows from
            </th>
            <th scope="col" className="py-2 pr-4">
              Model
            </th>
            <th scope="col" className="w-48 py-2 pr-4">
              Progress
            </th>
            <th scope="col" className="py-2 pr-4">
              Created
            </th>
            <th scope="col" className="py-2 text-right">
              Calls · cost
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {batches.map((b) => (
            <tr key={b.id} data-batch-id={b.id}>
              <td className="py-2 pr-4">
                <StatusBadge status={b.status} />
              </td>
              <td className="py-2 pr-4">
                <Link
                  href={`/projects/${project}/batches/${b.id}`}
                  className="whitespace-nowrap font-medium text-indigo-700 hover:underline"
                >
                  {b.taskName} v{b.promptVersion}
                  <span className="sr-only"> batch {b.id}</span>
                </Link>
                <div className="font-mono text-xs text-slate-500">{b.id.slice(0, 10)}</div>
              </td>
              <td className="max-w-[14rem] py-2 pr-4">
                <span className="block truncate font-mono text-xs" title={b.sourceName}>
                  {b.sourceName}
                </span>
                {b.source === "file" ? <span className="text-xs text-slate-500">uploaded file</span> : null}
              </td>
              <td className="py-2 pr-4 font-mono text-xs">{b.modelId}</td>
              <td className="py-2 pr-4">
                <BatchProgressBar
                  size="sm"
                  label={`Progress of batch ${b.id}`}
                  done={b.doneRows}
                  failed={b.failedRows}
                  total={b.totalRows}
                />
                <span className="text-xs tabular-nums text-slate-600">
                  {count(b.doneRows)} / {count(b.totalRows)}
                  {b.failedRows ? ` · ${count(b.failedRows)} failed` : ""}
                  {b.skippedRows ? ` · ${count(b.skippedRows)} skipped` : ""}
                </span>
              </td>
              <td className="whitespace-nowrap py-2 pr-4 text-slate-600">
                <Time value={b.createdAt} />
              </td>
              <td className="whitespace-nowrap py-2 text-right tabular-nums text-slate-600">
                {count(b.calls)} · {usd(b.costUsd)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
