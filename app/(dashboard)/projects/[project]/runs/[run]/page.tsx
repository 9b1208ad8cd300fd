import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunDetail } from "@/components/runs/run-detail";
import { BackLink } from "@/components/ui/back-link";
import { PageHeader } from "@/components/ui/page";
import { StatusBadge } from "@/components/ui/status-badge";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { listTaskLabels } from "@/lib/services/prompts/labels";
import { getProjectRun, type ProjectRunDetail } from "@/lib/services/runs/reads";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ project: string; run: string }> }) {
  const { project: slug, run: runId } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/runs/${runId}`);
  let run: ProjectRunDetail;
  try {
    run = await getProjectRun(db, access, runId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  // The labels on the saved winner ("Save winner and label as staging" puts one there).
  const winnerLabels =
    run.winner.version !== null
      ? (await listTaskLabels(db, access, run.taskName)).items
          .filter((label) => label.version === run.winner.version)
          .map((label) => label.name)
      : [];
  return (
    <>
      <BackLink href={`/projects/${slug}/runs`}>Runs</BackLink>
      <PageHeader
        title={`${run.kind === "optimize" ? "Optimization" : "Evaluation"} of ${run.taskName}`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <StatusBadge status={run.status} />
            <code className="text-xs">{run.id}</code>
          </span>
        }
      />
      <RunDetail
        project={slug}
        run={run}
        canEdit={hasRole(access.role, "editor")}
        winnerLabels={winnerLabels}
      />
    </>
  );
}
