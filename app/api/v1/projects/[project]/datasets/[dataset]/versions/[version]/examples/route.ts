import { defineRoute } from "@/lib/http/define-route";
import { previewDatasetVersion } from "@/lib/services/datasets";
import {
  datasetVersionParamsSchema,
  examplePageSchema,
  examplesQuerySchema,
} from "@/lib/validation/datasets";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/datasets/{dataset}/versions/{version}/examples",
  summary: "Page through a version's rows in file order",
  description:
    "Each row's input variables and expected output, in the order of the file. Page with `cursor` " +
    "(up to 500 rows a page).",
  tags: ["datasets"],
  auth: { role: "viewer" },
  params: datasetVersionParamsSchema,
  query: examplesQuerySchema,
  response: examplePageSchema,
  handler: ({ db, access, params, query }) =>
    previewDatasetVersion(db, access, params.dataset, params.version, query),
});
