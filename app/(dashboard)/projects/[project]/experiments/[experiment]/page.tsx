import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ExperimentActions } from "@/components/experiments/experiment-actions";
import { ExperimentCharts } from "@/components/experiments/experiment-charts";
import { ExperimentStatusBadge } from "@/components/experiments/experiment-status";
import { FeedbackStream } from "@/components/experiments/feedback-stream";
import { LatestAnalysis } from "@/components/experiments/latest-analysis";
import { LearnFromFeedback } from "@/components/experiments/learn-from-feedback";
import { Alert } from "@/components/ui/alert";
import { BackLink } from "@/components/ui/back-link";
import { EmptyState, PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { getProjectExperiment, listExperimentFeedback } from "@/lib/services/experiments";
import type { ExperimentDetail } from "@/lib/validation/experiments";

export const metadata: Metadata = { title: "Experiment" };

const OUTCOMES: Record<string, string> = {
  winner: "A variant won",
  control: "Control stays",
  inconclusive: "No conclusive difference",
  invalid: "Invalid: the traffic split is broken",
  stopped: "Stopped by hand",
};

export default async function ExperimentPage({
  params,
}: {
  params: Promise<{ project: string; experiment: string }>;
}) {
  const { project: slug, experiment: id } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/experiments/${id}`);
  let experiment: ExperimentDetail;
  try {
    experiment = await getProjectExperiment(db, access, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const feedback = await listExperimentFeedback(db, access, id, 20);
  const latest = experiment.analyses.at(-1) ?? null;
  return (
    <>
      <BackLink href={`/projects/${slug}/experiments`}>Experiments</BackLink>
      <PageHeader
        title={experiment.name}
        description={
          <>
            <ExperimentStatusBadge status={experiment.status} /> {experiment.task}, label{" "}
            <code>{experiment.label}</code>:{" "}
            {experiment.variants.map((v) => `version ${v.version}`).join(" vs ")}
            {experiment.mode === "bandit" ? " (bandit)" : ""}. Planned{" "}
            {experiment.plannedSamplePerVariant.toLocaleString("en")} subjects per variant; started{" "}
            <Time value={experiment.startedAt} />.
          </>
        }
        actions={
          hasRole(access.role, "editor") ? (
            <ExperimentActions project={slug} experiment={experiment.id} status={experiment.status} />
          ) : null
        }
      />
      {experiment.status === "draft" ? (
        <Alert>
          Start the experiment to split the label's traffic. Applications send a subject with each request
          (the <code>subject</code> field or the <code>X-Strop-Subject</code> header) and feedback to{" "}
          <code>/api/v1/feedback</code>.
        </Alert>
      ) : null}
      {experiment.decision ? (
        <Section title="Decision">
          <p className="font-medium" data-testid="decision">
            {OUTCOMES[experiment.decision] ?? experiment.decision}
            {experiment.winnerVariant !== null
              ? `: version ${experiment.variants[experiment.winnerVariant]?.version}`
              : ""}
          </p>
          <p className="text-sm text-slate-700">{experiment.decisionReason}</p>
          {experiment.promotion ? (
            <p className="text-sm text-slate-700" data-testid="promotion">
              {experiment.promotion}
            </p>
          ) : null}
        </Section>
      ) : null}
      <Section title="Latest analysis">
        {latest ? (
          <LatestAnalysis experiment={experiment} analysis={latest} />
        ) : (
          <EmptyState title="Not analyzed yet">
            <p>Analyses run on a schedule while the experiment runs; “Analyze now” runs one at once.</p>
          </EmptyState>
        )}
      </Section>
      <Section title="Over time">
        <ExperimentCharts experiment={experiment} />
      </Section>
      <Section title="Feedback">
        {feedback.items.length === 0 ? (
          <EmptyState title="No feedback yet">
            <p>
              Feedback arrives through POST /api/v1/feedback, with the answer's feedback token or an API key.
            </p>
          </EmptyState>
        ) : (
          <FeedbackStream
            items={feedback.items}
            generationHref={(generation) =>
              `/projects/${slug}/prompts/${encodeURIComponent(experiment.task)}/generations/${generation}`
            }
          />
        )}
      </Section>
      {hasRole(access.role, "editor") ? (
        <Section title="Learn from feedback">
          <LearnFromFeedback project={slug} experiment={experiment.id} />
        </Section>
      ) : null}
    </>
  );
}
