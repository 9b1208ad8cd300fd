import { defineRoute } from "@/lib/http/define-route";
import { getProjectRun } from "@/lib/services/runs/reads";
import { runDetailSchema, runParamsSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/runs/{run}",
  summary: "One run: status, progress, iterations, candidates, report, versions and its winner",
  description:
    "The full record of a run: its configuration, each iteration with the candidates tried and " +
    "their scores, the final report with confidence intervals, and the prompt version it saved.",
  tags: ["runs"],
  auth: { role: "viewer" },
  params: runParamsSchema,
  response: runDetailSchema,
  handler: ({ db, access, params }) => getProjectRun(db, access, params.run),
});
