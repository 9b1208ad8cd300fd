import { defineRoute } from "@/lib/http/define-route";
import { listProjectDatasets, uploadNewDataset } from "@/lib/services/datasets";
import {
  createDatasetQuerySchema,
  datasetListSchema,
  UPLOAD_DESCRIPTION,
  UPLOAD_MEDIA_TYPES,
  uploadResultSchema,
} from "@/lib/validation/datasets";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/datasets",
  summary: "List the project's datasets, each with its latest version",
  description:
    "Each dataset with its name, its newest version's number, row count and columns. Upload a new " +
    "one with POST on this path.",
  tags: ["datasets"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: datasetListSchema,
  handler: async ({ db, access }) => ({ items: await listProjectDatasets(db, access) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/datasets",
  summary: "Create a dataset by uploading a CSV, JSONL or JSON file (version 1)",
  description: `${UPLOAD_DESCRIPTION} A taken name is a 409: upload to …/datasets/{dataset}/versions instead.`,
  tags: ["datasets"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  query: createDatasetQuerySchema,
  rawBody: { contentTypes: UPLOAD_MEDIA_TYPES, description: UPLOAD_DESCRIPTION },
  response: uploadResultSchema,
  status: 201,
  handler: ({ db, access, query, request, actor }) =>
    uploadNewDataset(db, access, query, uploadOf(request), actor),
});

function uploadOf(request: Request) {
  return {
    body: request.body,
    contentLength: request.headers.get("content-length"),
    contentType: request.headers.get("content-type"),
  };
}
