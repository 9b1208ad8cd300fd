import { defineRoute } from "@/lib/http/define-route";
import { uploadDatasetVersion } from "@/lib/services/datasets";
import {
  datasetParamsSchema,
  UPLOAD_DESCRIPTION,
  UPLOAD_MEDIA_TYPES,
  uploadResultSchema,
  uploadVersionQuerySchema,
} from "@/lib/validation/datasets";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/datasets/{dataset}/versions",
  summary: "Upload a file as the dataset's next version",
  description:
    `${UPLOAD_DESCRIPTION} The column mapping and the splits default to the latest version's. ` +
    "The same content as an existing version returns that version (`created: false`).",
  tags: ["datasets"],
  auth: { role: "editor" },
  params: datasetParamsSchema,
  query: uploadVersionQuerySchema,
  rawBody: { contentTypes: UPLOAD_MEDIA_TYPES, description: UPLOAD_DESCRIPTION },
  response: uploadResultSchema,
  status: 201,
  handler: ({ db, access, params, query, request, actor }) =>
    uploadDatasetVersion(
      db,
      access,
      params.dataset,
      query,
      {
        body: request.body,
        contentLength: request.headers.get("content-length"),
        contentType: request.headers.get("content-type"),
      },
      actor,
    ),
});
