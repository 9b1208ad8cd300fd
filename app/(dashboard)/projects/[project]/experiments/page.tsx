import type { Metadata } from "next";
import { ExperimentsTable } from "@/components/experiments/experiments-table";
import { type ExperimentFormTask, NewExperimentForm } from "@/components/experiments/new-experiment-form";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { listProjectExperiments } from "@/lib/services/experiments";
import { listPromptTasks, listTaskVersionNumbers } from "@/lib/services/prompts";

export const metadata: Metadata = { title: "Experiments" };

export default async function ExperimentsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/experiments`);
  const canWrite = hasRole(access.role, "editor");
  const { items } = await listProjectExperiments(db, access);
  const tasks: ExperimentFormTask[] = [];
  if (canWrite)
    for (const task of await listPromptTasks(db, access)) {
      const versions = task.latestVersion ? await listTaskVersionNumbers(db, access, task.name) : [];
      if (versions.length >= 2) tasks.push({ name: task.name, versions });
    }
  return (
    <>
      <PageHeader
        title="Experiments"
        description="Compare versions of a prompt on live traffic: the serving API gives each user the same version every time, feedback and measurements decide, and the winner can take over the label."
      />
      <Section title="Experiments">
        {items.length === 0 ? (
          <EmptyState title="No experiments yet">
            {canWrite ? <p>Create one below.</p> : <p>Editors can create one.</p>}
          </EmptyState>
        ) : (
          <ExperimentsTable project={slug} experiments={items} />
        )}
      </Section>
      {canWrite ? (
        <Section title="New experiment">
          <NewExperimentForm project={slug} tasks={tasks} />
        </Section>
      ) : null}
    </>
  );
}
