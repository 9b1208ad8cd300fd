import type { Metadata } from "next";
import Link from "next/link";
import { SourceBadge } from "@/components/prompts/source-badge";
import { EmptyState, PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { listPromptTasks } from "@/lib/services/prompts";

export const metadata: Metadata = { title: "Prompts" };

export default async function PromptsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/prompts`);
  const tasks = await listPromptTasks(db, access);
  return (
    <>
      <PageHeader
        title="Prompts"
        description="Each task keeps every prompt version it ever had: versions are immutable, numbered 1, 2, 3…"
      />
      {tasks.length === 0 ? (
        <EmptyState title="No tasks yet">
          <p>
            A task and its first version appear when you run it:{" "}
            <code>npm run strop -- optimize examples/sentiment/task.yaml</code>
          </p>
        </EmptyState>
      ) : (
        <Section title={`Tasks (${tasks.length})`}>
          <div className="overflow-x-auto">
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
                  const href = `/projects/${slug}/prompts/${encodeURIComponent(task.name)}`;
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
        </Section>
      )}
    </>
  );
}
