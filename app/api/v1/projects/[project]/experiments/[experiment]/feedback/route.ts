import { defineRoute } from "@/lib/http/define-route";
import { listExperimentFeedback } from "@/lib/services/experiments";
import { experimentParamsSchema } from "@/lib/validation/experiments";
import { feedbackListQuerySchema, feedbackListSchema } from "@/lib/validation/feedback";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/experiments/{experiment}/feedback",
  summary: "The feedback on an experiment's exposures and generations, newest first",
  description:
    "What applications sent back about the answers the experiment's variants gave. Page with the " +
    "query parameters.",
  tags: ["experiments"],
  auth: { role: "viewer" },
  params: experimentParamsSchema,
  query: feedbackListQuerySchema,
  response: feedbackListSchema,
  handler: ({ db, access, params, query }) =>
    listExperimentFeedback(db, access, params.experiment, query.limit),
});
