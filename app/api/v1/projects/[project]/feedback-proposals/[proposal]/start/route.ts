import { defineRoute } from "@/lib/http/define-route";
import { startProjectFeedbackProposal } from "@/lib/services/feedback-proposals";
import {
  feedbackProposalParamsSchema,
  startedFeedbackProposalSchema,
  startFeedbackProposalBodySchema,
} from "@/lib/validation/feedback-alerts";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/feedback-proposals/{proposal}/start",
  summary: "Optimize from feedback: a run on the prompt's corrections, starting from the judged version",
  description:
    "Builds a new version of the dataset `feedback-<task>` from every correction sent about the prompt's " +
    "generations, then starts an optimization run from the proposal's version (models and metrics " +
    "default to the offline simulator and exact_match); the proposal records the run. 409 when the " +
    "proposal is no longer open, or while there is no correction (details.generationsPath: where reviewers add them).",
  tags: ["feedback"],
  auth: { role: "editor" },
  auditRefusals: true,
  status: 202,
  params: feedbackProposalParamsSchema,
  body: startFeedbackProposalBodySchema,
  response: startedFeedbackProposalSchema,
  handler: ({ db, access, params, body, actor }) =>
    startProjectFeedbackProposal(db, access, params.proposal, body ?? {}, actor),
});
