import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FeedbackProposals } from "@/components/feedback/feedback-proposals";
import { VersionFeedbackSummaryView } from "@/components/generations/version-feedback-summary";
import { ChangeRequestsPanel } from "@/components/prompts/labels/change-requests-panel";
import { LabelHistory } from "@/components/prompts/labels/label-history";
import { LabelsPanel } from "@/components/prompts/labels/labels-panel";
import { PromptVersionView } from "@/components/prompts/prompt-version-view";
import { citableRuns } from "@/components/prompts/task/citable-runs";
import { DeleteTaskButton } from "@/components/prompts/task/delete-task-button";
import { VersionActions } from "@/components/prompts/task/version-actions";
import { VersionNav } from "@/components/prompts/task/version-nav";
import { VersionPicker } from "@/components/prompts/version-picker";
import { BackLink } from "@/components/ui/back-link";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { listProjectFeedbackProposals } from "@/lib/services/feedback-proposals";
import { getVersionFeedbackSummary, taskGenerationCounts } from "@/lib/services/generations";
import { listTaskChangeRequests } from "@/lib/services/prompts/change-requests";
import { pageTaskLabelHistory } from "@/lib/services/prompts/labels";
import {
  getTaskDetails,
  getTaskVersion,
  listTaskVersionNumbers,
  listTaskVersions,
} from "@/lib/services/prompts/reads";
import { listProjectRuns } from "@/lib/services/runs/reads";

export const metadata: Metadata = { title: "Prompt" };

const PAGE_SIZE = 30;
const HISTORY_SIZE = 50;
const REQUESTS_SIZE = 20;

const positiveInt = (value: string | string[] | undefined): number | null => {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
};

const BUTTON =
  "inline-flex items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700";

export default async function TaskPromptsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string; task: string }>;
  searchParams: Promise<{ version?: string | string[]; before?: string | string[] }>;
}) {
  const { project: slug, task: name } = await params;
  const query = await searchParams;
  const base = `/projects/${slug}/prompts/${encodeURIComponent(name)}`;
  const { db, user, access } = await requireProjectPage(slug, base);
  const canEdit = hasRole(access.role, "editor");
  const canAdmin = hasRole(access.role, "admin");
  const before = positiveInt(query.before);
  let details: Awaited<ReturnType<typeof getTaskDetails>>;
  try {
    details = await getTaskDetails(db, access, name, { limit: PAGE_SIZE });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const [page, numbers, history, requests, runs] = await Promise.all([
    before ? listTaskVersions(db, access, name, { before, limit: PAGE_SIZE }) : null,
    listTaskVersionNumbers(db, access, name),
    pageTaskLabelHistory(db, access, name, { cursor: null, limit: HISTORY_SIZE }),
    listTaskChangeRequests(db, access, name, { cursor: null, limit: REQUESTS_SIZE }),
    listProjectRuns(db, access, { task: name, status: "succeeded", limit: 20 }),
  ]);
  const versions = page?.items ?? details.versions;
  const nextBefore = page ? page.nextBefore : details.nextBefore;
  const latest = details.latest?.version ?? null;
  const asked = positiveInt(query.version);
  const selected = asked !== null && numbers.includes(asked) ? asked : latest;
  const version = selected !== null ? await getTaskVersion(db, access, name, selected) : null;
  const [versionFeedback, generationCounts] = await Promise.all([
    selected !== null ? getVersionFeedbackSummary(db, access, name, selected) : null,
    taskGenerationCounts(db, access, name),
  ]);
  const previous = selected !== null ? (numbers.find((n) => n < selected) ?? selected) : null;
  const labelsByVersion = new Map<number, string[]>();
  for (const label of details.labels)
    labelsByVersion.set(label.version, [...(labelsByVersion.get(label.version) ?? []), label.name]);
  const pendingFirst = [...requests.items].sort(
    (a, b) =>
      Number(b.status === "open" || b.status === "approved") -
      Number(a.status === "open" || a.status === "approved"),
  );
  const { task } = details;
  const proposals = await listProjectFeedbackProposals(db, access, { task: task.name, limit: 20 });

  return (
    <>
      <BackLink href={`/projects/${slug}/prompts`}>Prompts</BackLink>
      <PageHeader
        title={task.name}
        description={task.description || `${task.versionCount} version${task.versionCount === 1 ? "" : "s"}`}
        actions={
          canEdit ? (
            <Link href={`${base}/edit${latest ? `?from=${latest}` : ""}`} className={BUTTON}>
              New version
            </Link>
          ) : null
        }
      />
      {proposals.items.length > 0 ? (
        <Section title="Negative feedback" id="feedback-proposals">
          <FeedbackProposals
            project={slug}
            proposals={proposals.items}
            windowDays={proposals.windowDays}
            canEdit={canEdit}
          />
        </Section>
      ) : null}
      {version === null || selected === null ? (
        <EmptyState title="This task has no prompt version yet">
          {canEdit ? (
            <Link href={`${base}/edit`} className="text-indigo-700 hover:underline">
              Write its first version
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <>
          <Section title="Labels" id="labels">
            <LabelsPanel
              project={slug}
              task={task.name}
              labels={details.labels}
              latest={latest}
              choices={{ versions: numbers, runs: citableRuns(runs.items) }}
              canEdit={canEdit}
              canAdmin={canAdmin}
            />
          </Section>
          {requests.items.length > 0 || details.labels.some((l) => l.protected) ? (
            <Section
              title={`Change requests${details.pendingChangeRequests ? ` (${details.pendingChangeRequests} pending)` : ""}`}
              id="change-requests"
            >
              <ChangeRequestsPanel
                project={slug}
                task={task.name}
                requests={pendingFirst.map((r) => ({ ...r, mine: r.requestedById === user.userId }))}
                canEdit={canEdit}
                canAdmin={canAdmin}
              />
            </Section>
          ) : null}
          <div className="mb-8 flex flex-col gap-6 lg:flex-row lg:items-start">
            <VersionNav
              base={base}
              versions={versions}
              selected={selected}
              latest={latest}
              labelsByVersion={labelsByVersion}
              before={before}
              nextBefore={nextBefore}
              total={task.versionCount}
            />
            <div className="min-w-0 flex-1">
              <Section title={`Version ${version.version}`} id="prompt-version">
                <div className="mb-5">
                  <VersionActions
                    project={slug}
                    task={task.name}
                    version={version.version}
                    canEdit={canEdit}
                  />
                </div>
                <PromptVersionView project={slug} version={version} />
                {versionFeedback ? (
                  <div id="version-feedback" className="mt-6 border-t border-slate-100 pt-4">
                    <h3 className="mb-2 text-sm font-semibold">Feedback</h3>
                    <VersionFeedbackSummaryView
                      summary={versionFeedback}
                      generationsPath={`${base}/generations`}
                    />
                  </div>
                ) : null}
              </Section>
            </div>
          </div>
          <Section title="Generations" id="generations">
            <p className="text-sm text-slate-700" data-testid="generation-counts">
              {generationCounts.total.toLocaleString("en-US")} generation
              {generationCounts.total === 1 ? "" : "s"} through the serving API,{" "}
              {generationCounts.withFeedback.toLocaleString("en-US")} with feedback.{" "}
              <Link href={`${base}/generations`} className="text-indigo-700 underline">
                View generations
              </Link>
            </p>
          </Section>
          {numbers.length > 1 ? (
            <Section title="Compare versions">
              <VersionPicker
                action={`${base}/diff`}
                versions={numbers}
                from={previous ?? selected}
                to={selected}
              />
            </Section>
          ) : null}
          <Section title="Label history" id="label-history">
            <LabelHistory project={slug} task={task.name} events={history.items} />
          </Section>
        </>
      )}
      {canEdit ? (
        <Section title="Delete this task" id="delete-task">
          <p className="mb-3 text-sm text-slate-600">
            Deletes every version, label history and change request of {task.name}. Refused while a label
            points into it.
          </p>
          <DeleteTaskButton project={slug} task={task.name} />
        </Section>
      ) : null}
    </>
  );
}
