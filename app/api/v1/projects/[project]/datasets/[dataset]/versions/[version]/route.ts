import { defineRoute } from "@/lib/http/define-route";
import { getProjectDatasetVersion } from "@/lib/services/datasets";
import { datasetVersionParamsSchema, datasetVersionSchema } from "@/lib/validation/datasets";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/datasets/{dataset}/versions/{version}",
  summary: "Get a dataset version: columns, mapping, split configuration, row count",
  description:
    "The columns, which ones are input variables and which one holds the expected output, the " +
    "validation/test split fractions and seed, and the number of rows.",
  tags: ["datasets"],
  auth: { role: "viewer" },
  params: datasetVersionParamsSchema,
  response: datasetVersionSchema,
  handler: ({ db, access, params }) => getProjectDatasetVersion(db, access, params.dataset, params.version),
});
