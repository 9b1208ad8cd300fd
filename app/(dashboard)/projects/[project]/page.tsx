import type { Metadata } from "next";
import Link from "next/link";
import { DatasetList } from "@/components/overview/dataset-list";
import { RecentPromptVersions } from "@/components/overview/recent-prompt-versions";
import { StatCards } from "@/components/overview/stat-cards";
import { RunsTable } from "@/components/runs/runs-table";
import { PageHeader, RoleBadge, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { getProjectOverview } from "@/lib/services/overview";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}`);
  const { project, role } = access;
  const overview = await getProjectOverview(db, access);
  const empty = overview.counts.runs === 0 && overview.counts.tasks === 0 && overview.counts.datasets === 0;
  return (
    <>
      <PageHeader
        title={project.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {project.organization.name} · <code>{project.slug}</code> · you are <RoleBadge role={role} />
          </span>
        }
      />
      <StatCards project={project.slug} counts={overview.counts} />
      {empty ? (
        <Section title="Get started">
          <ul className="list-inside list-disc space-y-1 text-sm text-slate-700">
            <li>
              Run an optimization from the command line:{" "}
              <code>npm run strop -- optimize examples/sentiment/task.yaml</code> (CLI runs land in the
              project <code>default</code>).
            </li>
            {hasRole(role, "admin") ? (
              <li>
                <Link href={`/projects/${project.slug}/api-keys`} className="text-indigo-700 hover:underline">
                  Create an API key
                </Link>{" "}
                for scripts and CI: <code>/api/v1/projects/{project.slug}</code>.
              </li>
            ) : null}
            <li>
              <Link href={`/projects/${project.slug}/members`} className="text-indigo-700 hover:underline">
                See who has access
              </Link>
              .
            </li>
          </ul>
        </Section>
      ) : null}
      <Section title="Recent runs">
        {overview.runs.length === 0 ? (
          <p className="text-sm text-slate-600">No runs yet.</p>
        ) : (
          <>
            <RunsTable project={project.slug} runs={overview.runs} caption="Recent runs, newest first" />
            {overview.counts.runs > overview.runs.length ? (
              <p className="mt-3 text-sm">
                <Link href={`/projects/${project.slug}/runs`} className="text-indigo-700 hover:underline">
                  All {overview.counts.runs} runs
                </Link>
              </p>
            ) : null}
          </>
        )}
      </Section>
      <div className="grid gap-x-6 xl:grid-cols-2">
        <Section title="Prompt versions">
          <RecentPromptVersions project={project.slug} versions={overview.promptVersions} />
        </Section>
        <Section title="Datasets">
          <DatasetList project={project.slug} datasets={overview.datasets} />
        </Section>
      </div>
    </>
  );
}
