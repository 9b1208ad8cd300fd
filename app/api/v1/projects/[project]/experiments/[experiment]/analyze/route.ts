import { defineRoute } from "@/lib/http/define-route";
import { analyzeExperimentNow } from "@/lib/services/experiments";
import { analyzeResultSchema, experimentParamsSchema } from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/experiments/{experiment}/analyze",
  summary: "Analyze now: queue an analysis (a durable job) of a started experiment",
  description:
    "The analysis stores a snapshot (see GET …/experiments/{experiment}); when the decision rule ends " +
    "the experiment it stops it and moves the label to the winner (a change request if protected). " +
    "409 for a draft.",
  tags: ["experiments"],
  auth: { role: "editor" },
  auditRefusals: true,
  status: 202,
  params: experimentParamsSchema,
  response: analyzeResultSchema,
  handler: ({ db, access, params, actor }) => analyzeExperimentNow(db, access, params.experiment, actor),
});
