import { defineRoute } from "@/lib/http/define-route";
import {
  deleteProjectModelConfig,
  getProjectModelConfig,
  updateProjectModelConfig,
} from "@/lib/services/settings";
import {
  configParamsSchema,
  modelConfigResponseSchema,
  updateModelConfigBodySchema,
} from "@/lib/validation/ml-settings";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/model-configs/{name}",
  summary: "Read a model configuration",
  description:
    "The model, credential name, parameters, price and limits, and `updatedAt` (send it back with " +
    "a later PUT to detect concurrent changes). Never a secret.",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: configParamsSchema,
  response: modelConfigResponseSchema,
  handler: ({ db, access, params }) => getProjectModelConfig(db, access, params.name),
});

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/model-configs/{name}",
  summary: "Replace a model configuration (with expectedUpdatedAt: 409 if it changed since)",
  description:
    "Send the whole configuration. With `expectedUpdatedAt` set to the `updatedAt` you read, a " +
    "change someone made in between is a 409 instead of being overwritten.",
  tags: ["ml-settings"],
  auth: { role: "editor" },
  params: configParamsSchema,
  body: updateModelConfigBodySchema,
  response: modelConfigResponseSchema,
  handler: ({ db, access, params, body, actor }) =>
    updateProjectModelConfig(db, access, params.name, body, actor),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/model-configs/{name}",
  summary: "Delete a model configuration",
  description: "Removes the named configuration: new runs and batches can no longer refer to it.",
  tags: ["ml-settings"],
  auth: { role: "editor" },
  params: configParamsSchema,
  handler: ({ db, access, params, actor }) => deleteProjectModelConfig(db, access, params.name, actor),
});
