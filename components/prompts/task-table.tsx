// The project's tasks: name and description, the newest version with its source, how many versions.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { PromptTaskWithLatestView } from "@/lib/services/prompts";
import { SourceBadge } from "./source-badge";

export function TaskTable({ project, tasks }: { project: string; tasks: PromptTaskWithLatestView[] }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Task
            </th>
            <th scope="col" className="py-2 pr-4">
              Latest version
            </th>
            <th scope="col" className="py-2 pr-4">
              Source
            </th>
            <th scope="col" className="py-2 pr-4 text-right">
              Versions
            </th>
            <th scope="col" className="py-2">
              Updated
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tasks.map((task) => {
            const href = `/projects/${project}/prompts/${encodeURIComponent(task.name)}`;
            return (
              <tr key={task.id}>
                <td className="py-2 pr-4">
                  <Link href={href} className="font-medium text-indigo-700 hover:underline">
                    {task.name}
                  </Link>
                  {task.description ? (
                    <p className="max-w-xl text-xs text-slate-500">{task.description}</p>
                  ) : null}
                </td>
                <td className="py-2 pr-4 tabular-nums">
                  {task.latestVersion ? `v${task.latestVersion.version}` : "–"}
                </td>
                <td className="py-2 pr-4">
                  {task.latestVersion ? <SourceBadge source={task.latestVersion.source} /> : null}
                </td>
                <td className="py-2 pr-4 text-right tabular-nums">{task.versionCount}</td>
                <td className="py-2 whitespace-nowrap text-slate-600">
                  <Time value={task.updatedAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
