"use client";

// Open proposals to optimize a prompt version from its negative feedback (the scheduled check opens
// them): "Optimize from feedback" starts a run on the prompt's corrections and opens it; "Dismiss" closes
// the proposal. Without corrections there is nothing to learn from yet: the link goes to the version's
// generations with negative feedback, where reviewers add them.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

export interface ProposalItem {
  id: string;
  task: string;
  version: number;
  feedbackName: string;
  negative: number;
  total: number;
  rate: number;
  corrections: number;
}

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

function Proposal({
  project,
  proposal,
  windowDays,
  canEdit,
  showTask,
}: {
  project: string;
  proposal: ProposalItem;
  windowDays: number;
  canEdit: boolean;
  showTask: boolean;
}) {
  const router = useRouter();
  const base = `/api/v1/projects/${project}/feedback-proposals/${proposal.id}`;
  const taskPath = `/projects/${project}/prompts/${encodeURIComponent(proposal.task)}`;
  const start = useMutation({
    mutationFn: () => apiRequest<{ runId: string }>("POST", `${base}/start`, {}),
    onSuccess: ({ runId }) => router.push(`/projects/${project}/runs/${runId}`),
  });
  const dismiss = useMutation({
    mutationFn: () => apiRequest("POST", `${base}/dismiss`),
    onSuccess: () => router.refresh(),
  });
  const busy = start.isPending || dismiss.isPending || start.isSuccess;
  const generations = `${taskPath}/generations?version=${proposal.version}&feedback=negative`;
  return (
    <li className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm">
      <p className="text-slate-800">
        {showTask ? (
          <>
            <Link href={taskPath} className="font-medium text-indigo-700 underline">
              {proposal.task}
            </Link>{" "}
          </>
        ) : null}
        <span className="font-medium">version {proposal.version}</span>: {percent(proposal.rate)} of{" "}
        {proposal.total} <code>{proposal.feedbackName}</code> judgments negative in the last {windowDays} day
        {windowDays === 1 ? "" : "s"}
      </p>
      {proposal.corrections === 0 ? (
        <p className="text-slate-700">
          No corrections yet: a run learns from corrected answers. Reviewers add them on{" "}
          <Link href={generations} className="text-indigo-700 underline">
            version {proposal.version}'s generations with negative feedback
          </Link>
          .
        </p>
      ) : (
        <p className="text-slate-700">
          {proposal.corrections} correction{proposal.corrections === 1 ? "" : "s"} to learn from.
        </p>
      )}
      {canEdit ? (
        <div className="flex flex-wrap gap-2">
          {proposal.corrections > 0 ? (
            <Button pending={start.isPending} disabled={busy} onClick={() => start.mutate()}>
              Optimize from feedback
            </Button>
          ) : null}
          <Button
            variant="secondary"
            pending={dismiss.isPending}
            disabled={busy}
            onClick={() => dismiss.mutate()}
          >
            Dismiss
          </Button>
        </div>
      ) : null}
      {start.isError ? <Alert tone="error">{errorMessage(start.error)}</Alert> : null}
      {dismiss.isError ? <Alert tone="error">{errorMessage(dismiss.error)}</Alert> : null}
    </li>
  );
}

export function FeedbackProposals({
  project,
  proposals,
  windowDays,
  canEdit,
  showTask = false,
}: {
  project: string;
  proposals: ProposalItem[];
  windowDays: number;
  canEdit: boolean;
  showTask?: boolean;
}) {
  return (
    <ul className="space-y-3" aria-label="Proposals to optimize from feedback">
      {proposals.map((proposal) => (
        <Proposal
          key={proposal.id}
          project={project}
          proposal={proposal}
          windowDays={windowDays}
          canEdit={canEdit}
          showTask={showTask}
        />
      ))}
    </ul>
  );
}
