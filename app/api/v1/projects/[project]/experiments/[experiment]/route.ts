import { defineRoute } from "@/lib/http/define-route";
import { getProjectExperiment } from "@/lib/services/experiments";
import { experimentDetailSchema, experimentParamsSchema } from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/experiments/{experiment}",
  summary: "One experiment with its variants, exposures and every analysis (the latest last)",
  description:
    "Everything an experiment's page shows: the versions it compares and their share of the traffic, " +
    "how many subjects saw each, and the analyses made so far.",
  tags: ["experiments"],
  auth: { role: "viewer" },
  params: experimentParamsSchema,
  response: experimentDetailSchema,
  handler: ({ db, access, params }) => getProjectExperiment(db, access, params.experiment),
});
