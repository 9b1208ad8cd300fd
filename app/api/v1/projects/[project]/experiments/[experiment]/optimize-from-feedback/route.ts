import { defineRoute } from "@/lib/http/define-route";
import { optimizeFromFeedback } from "@/lib/services/feedback";
import {
  experimentParamsSchema,
  optimizeFromFeedbackBodySchema,
  optimizeFromFeedbackSchema,
} from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/experiments/{experiment}/optimize-from-feedback",
  summary: "Optimize from feedback: a run on the corrections, starting from the version the label serves",
  description:
    "Builds the dataset version like …/dataset-from-feedback, then starts an optimization run (models " +
    "and metrics default to the offline simulator and exact_match). 409 while there is no correction.",
  tags: ["experiments"],
  auth: { role: "editor" },
  auditRefusals: true,
  status: 202,
  params: experimentParamsSchema,
  body: optimizeFromFeedbackBodySchema,
  response: optimizeFromFeedbackSchema,
  handler: ({ db, access, params, body, actor }) =>
    optimizeFromFeedback(db, access, params.experiment, body ?? {}, actor),
});
