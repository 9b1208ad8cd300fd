import { defineRoute } from "@/lib/http/define-route";
import { dismissProjectFeedbackProposal } from "@/lib/services/feedback-proposals";
import { feedbackProposalParamsSchema, feedbackProposalSchema } from "@/lib/validation/feedback-alerts";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/feedback-proposals/{proposal}/dismiss",
  summary: "Dismiss a proposal to optimize from feedback",
  description:
    "Audited as feedback.proposal_dismissed. The check does not propose the same version and feedback " +
    "name again until one window (the project's windowDays) has passed. 409 when it is no longer open.",
  tags: ["feedback"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: feedbackProposalParamsSchema,
  response: feedbackProposalSchema,
  handler: ({ db, access, params, actor }) =>
    dismissProjectFeedbackProposal(db, access, params.proposal, actor),
});
