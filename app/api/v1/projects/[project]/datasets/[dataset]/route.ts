import { defineRoute } from "@/lib/http/define-route";
import { deleteProjectDataset, getProjectDataset } from "@/lib/services/datasets";
import { datasetDetailSchema, datasetParamsSchema } from "@/lib/validation/datasets";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/datasets/{dataset}",
  summary: "Get a dataset (by id or name) with all its versions, newest first",
  description:
    "`dataset` is its id or its name. A version never changes once stored: a new upload or an " +
    "edit makes a new version.",
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
  description:
    "Deletes every version and its rows. A dataset that a run used cannot be deleted (409), so " +
    "that run's results stay reproducible.",
  tags: ["datasets"],
  auth: { role: "editor" },
  params: datasetParamsSchema,
  handler: ({ db, access, params, actor }) => deleteProjectDataset(db, access, params.dataset, actor),
});
