import { defineRoute } from "@/lib/http/define-route";
import { listProjectFeedbackProposals } from "@/lib/services/feedback-proposals";
import {
  feedbackProposalListQuerySchema,
  feedbackProposalListSchema,
} from "@/lib/validation/feedback-alerts";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/feedback-proposals",
  summary: "Proposals to optimize a prompt version from its negative feedback, newest first",
  description:
    "Opened by the scheduled negative-feedback check (or an admin's check now) when a version's share of " +
    "negative judgments passes the project's feedback alert settings. Open ones by default; `task` " +
    "narrows to one prompt. Each says how many corrections a start would use.",
  tags: ["feedback"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  query: feedbackProposalListQuerySchema,
  response: feedbackProposalListSchema,
  handler: ({ db, access, query }) => listProjectFeedbackProposals(db, access, query),
});
