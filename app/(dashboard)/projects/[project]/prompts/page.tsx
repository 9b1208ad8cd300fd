import type { Metadata } from "next";
import Link from "next/link";
import { PromptEditor } from "@/components/prompts/editor/prompt-editor";
import { TaskTable } from "@/components/prompts/task-table";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { listPromptTasks } from "@/lib/services/prompts";
import { listProjectModelConfigs } from "@/lib/services/settings";

export const metadata: Metadata = { title: "Prompts" };

const BUTTON =
  "inline-flex items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700";

/** The task list; `?new` opens the new-task editor above it (editors). */
export default async function PromptsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ new?: string | string[] }>;
}) {
  const { project: slug } = await params;
  const base = `/projects/${slug}/prompts`;
  const { db, access } = await requireProjectPage(slug, base);
  const canEdit = hasRole(access.role, "editor");
  const creating = canEdit && (await searchParams).new !== undefined;
  const [tasks, modelConfigs] = await Promise.all([
    listPromptTasks(db, access),
    creating ? listProjectModelConfigs(db, access) : [],
  ]);
  return (
    <>
      <PageHeader
        title="Prompts"
        description="Each task keeps every prompt version it ever had: versions are immutable, numbered 1, 2, 3…; labels such as production point at one of them."
        actions={
          canEdit && !creating ? (
            <Link href={`${base}?new`} className={BUTTON}>
              New task
            </Link>
          ) : null
        }
      />
      {creating ? (
        <Section title="New task" id="new-task">
          <p className="mb-4 text-sm text-slate-600">
            Name the task and write its first prompt version.{" "}
            <Link href={base} className="text-indigo-700 hover:underline">
              Cancel
            </Link>
          </p>
          <PromptEditor
            project={slug}
            target={{ kind: "task" }}
            source={null}
            modelConfigs={modelConfigs.map((c) => ({ name: c.name, model: c.model }))}
          />
        </Section>
      ) : null}
      {tasks.length === 0 ? (
        creating ? null : (
          <EmptyState title="No tasks yet">
            {canEdit ? (
              <p>
                <Link href={`${base}?new`} className="text-indigo-700 hover:underline">
                  Create a task
                </Link>{" "}
                and write its prompt here, or run a task file from the command line:{" "}
                <code>npm run strop -- optimize task.yaml --project {slug}</code>
              </p>
            ) : (
              <p>An editor can create one.</p>
            )}
          </EmptyState>
        )
      ) : (
        <Section title={`Tasks (${tasks.length})`}>
          <TaskTable project={slug} tasks={tasks} />
        </Section>
      )}
    </>
  );
}
