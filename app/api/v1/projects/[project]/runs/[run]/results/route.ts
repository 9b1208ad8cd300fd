import { defineRoute } from "@/lib/http/define-route";
import { listRunResults } from "@/lib/services/runs/results";
import { runParamsSchema, runResultPageSchema, runResultsQuerySchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/runs/{run}/results",
  summary: "Per-example results on the held-out test: baseline vs winner, in dataset row order",
  description:
    "One row per test example: inputs, expected output, the baseline's and the winner's outputs " +
    "and scores. `view` shows only regressed or improved examples; page with `cursor`.",
  tags: ["runs"],
  auth: { role: "viewer" },
  params: runParamsSchema,
  query: runResultsQuerySchema,
  response: runResultPageSchema,
  handler: ({ db, access, params, query }) => listRunResults(db, access, params.run, query),
});
