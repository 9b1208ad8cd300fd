import { defineRoute } from "@/lib/http/define-route";
import { previewDatasetVersion } from "@/lib/services/datasets";
import {
  datasetVersionParamsSchema,
  examplePageSchema,
  examplesQuerySchema,
} from "@/lib/validation/datasets";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/datasets/{dataset}/versions/{version}/examples",
  summary: "Page through a version's rows in file order",
  tags: ["datasets"],
  auth: { role: "viewer" },
  params: datasetVersionParamsSchema,
  query: examplesQuerySchema,
  response: examplePageSchema,
  handler: ({ db, access, params, query }) =>
    previewDatasetVersion(db, access, params.dataset, params.version, query),
});
