// The newest prompt versions of the project, across its tasks.
import Link from "next/link";
import { SourceBadge } from "@/components/prompts/source-badge";
import { Time } from "@/components/ui/page";
import type { RecentPromptVersion } from "@/lib/services/overview";

export function RecentPromptVersions({
  project,
  versions,
}: {
  project: string;
  versions: RecentPromptVersion[];
}) {
  if (versions.length === 0) return <p className="text-sm text-slate-600">No prompt versions yet.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {versions.map((v) => (
        <li key={v.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
          <span className="min-w-0">
            <Link
              href={`/projects/${project}/prompts/${encodeURIComponent(v.taskName)}?version=${v.version}`}
              className="font-medium text-indigo-700 hover:underline"
            >
              {v.taskName} v{v.version}
            </Link>{" "}
            <SourceBadge source={v.source} />
          </span>
          <span className="text-xs text-slate-500">
            <Time value={v.createdAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
