import { defineRoute } from "@/lib/http/define-route";
import { checkFeedbackNow } from "@/lib/services/feedback-proposals";
import { feedbackCheckSchema } from "@/lib/validation/feedback-alerts";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/feedback-proposals/check",
  summary: "Run the negative-feedback check of this project now",
  description:
    "What the schedule does every STROP_FEEDBACK_CHECK_MINUTES, for this project at once: opens a " +
    "proposal for each version over the threshold (audited as feedback.proposal_created) and brings " +
    "open ones up to date. 409 while the project's feedback alerts are off.",
  tags: ["feedback"],
  auth: { role: "admin" },
  auditRefusals: true,
  params: projectParamsSchema,
  response: feedbackCheckSchema,
  handler: ({ db, access, actor }) => checkFeedbackNow(db, access, actor),
});
