import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FeedbackStream } from "@/components/experiments/feedback-stream";
import { feedbackCountsText } from "@/components/generations/feedback-counts";
import { GenerationView } from "@/components/generations/generation-view";
import { ReviewForm } from "@/components/generations/review-form";
import { BackLink } from "@/components/ui/back-link";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { getGenerationDetail } from "@/lib/services/generations";
import type { GenerationDetail } from "@/lib/validation/generations";

export const metadata: Metadata = { title: "Generation" };

export default async function GenerationPage({
  params,
}: {
  params: Promise<{ project: string; task: string; generation: string }>;
}) {
  const { project: slug, task: name, generation: id } = await params;
  const taskPath = `/projects/${slug}/prompts/${encodeURIComponent(name)}`;
  const { db, access } = await requireProjectPage(slug, `${taskPath}/generations/${id}`);
  let generation: GenerationDetail;
  try {
    generation = await getGenerationDetail(db, access, name, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const canReview = hasRole(access.role, "editor");
  return (
    <>
      <BackLink href={`${taskPath}/generations`}>Generations of {name}</BackLink>
      <PageHeader
        title={`Generation ${generation.id.slice(0, 10)}`}
        description={
          <>
            {name}, version {generation.version}
            {generation.label ? ` (${generation.label})` : ""}:{" "}
            {feedbackCountsText(generation.feedbackCounts)}.
          </>
        }
      />
      <Section title="Generation" id="generation">
        <GenerationView project={slug} taskPath={taskPath} generation={generation} />
      </Section>
      <Section title="Feedback" id="feedback">
        {generation.feedback.length === 0 ? (
          <EmptyState title="No feedback yet">
            <p>
              Applications send it to <code>POST /api/v1/feedback</code> with this <code>generationId</code>{" "}
              (or the answer's feedback token){canReview ? "; reviewers use the form below" : ""}.
            </p>
          </EmptyState>
        ) : (
          <FeedbackStream items={generation.feedback} />
        )}
        <p className="mt-3 text-sm">
          <Link
            href={`${taskPath}?version=${generation.version}#version-feedback`}
            className="text-indigo-700 hover:underline"
          >
            Feedback on version {generation.version}
          </Link>
        </p>
      </Section>
      {canReview ? (
        <Section title="Review" id="review">
          <ReviewForm project={slug} task={name} generation={generation.id} output={generation.output} />
        </Section>
      ) : null}
    </>
  );
}
