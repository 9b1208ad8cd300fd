import { defineRoute } from "@/lib/http/define-route";
import { deleteProjectDataset, getProjectDataset } from "@/lib/services/datasets";
import { datasetDetailSchema, datasetParamsSchema } from "@/lib/validation/datasets";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/datasets/{dataset}",
  summary: "Get a dataset (by id or name) with all its versions, newest first",
  tags: ["datasets"],
  auth: { role: "viewer" },
  params: datasetParamsSchema,
  response: datasetDetailSchema,
  handler: ({ db, access, params }) => getProjectDataset(db, access, params.dataset),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/datasets/{dataset}",
  summary: "Delete a dataset with all its versions (409 when a run used it)",
  tags: ["datasets"],
  auth: { role: "editor" },
  params: datasetParamsSchema,
  handler: ({ db, access, params, actor }) => deleteProjectDataset(db, access, params.dataset, actor),
});
