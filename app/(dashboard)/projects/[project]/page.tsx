import type { Metadata } from "next";
import Link from "next/link";
import { FeedbackProposals } from "@/components/feedback/feedback-proposals";
import { DatasetList } from "@/components/overview/dataset-list";
import { GetStarted } from "@/components/overview/get-started";
import { RecentPromptVersions } from "@/components/overview/recent-prompt-versions";
import { StatCards } from "@/components/overview/stat-cards";
import { RunsTable } from "@/components/runs/runs-table";
import { PageHeader, RoleBadge, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { listProjectFeedbackProposals } from "@/lib/services/feedback-proposals";
import { getProjectOverview } from "@/lib/services/overview";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}`);
  const { project, role } = access;
  const [overview, proposals] = await Promise.all([
    getProjectOverview(db, access),
    listProjectFeedbackProposals(db, access, { limit: 10 }),
  ]);
  // Until the project has a task, a dataset and a run: the steps to a first prompt in production.
  const empty = overview.counts.runs === 0 || overview.counts.tasks === 0 || overview.counts.datasets === 0;
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
      {proposals.items.length > 0 ? (
        <Section title="Negative feedback" id="feedback-proposals">
          <FeedbackProposals
            project={project.slug}
            proposals={proposals.items}
            windowDays={proposals.windowDays}
            canEdit={hasRole(role, "editor")}
            showTask
          />
        </Section>
      ) : null}
      {empty ? (
        <Section title="Get started">
          <GetStarted
            project={project.slug}
            counts={overview.counts}
            canEdit={hasRole(role, "editor")}
            canAdmin={hasRole(role, "admin")}
          />
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
