import { defineRoute } from "@/lib/http/define-route";
import { datasetFromFeedback } from "@/lib/services/feedback";
import { experimentParamsSchema, feedbackDatasetSchema } from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/experiments/{experiment}/dataset-from-feedback",
  summary: "A new version of the dataset feedback-<prompt> from every correction sent about the prompt",
  description:
    "Each correction about a generation is an example: the generation's variables as input, the " +
    "correction as the expected output. 409 while there is no correction.",
  tags: ["experiments"],
  auth: { role: "editor" },
  auditRefusals: true,
  status: 201,
  params: experimentParamsSchema,
  response: feedbackDatasetSchema,
  handler: ({ db, access, params, actor }) => datasetFromFeedback(db, access, params.experiment, actor),
});
