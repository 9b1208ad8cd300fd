import { defineRoute } from "@/lib/http/define-route";
import {
  deleteProjectMetricConfig,
  getProjectMetricConfig,
  updateProjectMetricConfig,
} from "@/lib/services/settings";
import {
  configParamsSchema,
  metricConfigResponseSchema,
  updateMetricConfigBodySchema,
} from "@/lib/validation/ml-settings";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/metric-configs/{name}",
  summary: "Read a metric configuration",
  description:
    "The metric, its options, weight and target, and `updatedAt` (send it back with a later PUT " +
    "to detect concurrent changes).",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: configParamsSchema,
  response: metricConfigResponseSchema,
  handler: ({ db, access, params }) => getProjectMetricConfig(db, access, params.name),
});

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/metric-configs/{name}",
  summary: "Replace a metric configuration (with expectedUpdatedAt: 409 if it changed since)",
  description:
    "Send the whole configuration. With `expectedUpdatedAt` set to the `updatedAt` you read, a " +
    "change someone made in between is a 409 instead of being overwritten.",
  tags: ["ml-settings"],
  auth: { role: "editor" },
  params: configParamsSchema,
  body: updateMetricConfigBodySchema,
  response: metricConfigResponseSchema,
  handler: ({ db, access, params, body, actor }) =>
    updateProjectMetricConfig(db, access, params.name, body, actor),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/metric-configs/{name}",
  summary: "Delete a metric configuration",
  description: "Removes the named configuration: new runs can no longer refer to it.",
  tags: ["ml-settings"],
  auth: { role: "editor" },
  params: configParamsSchema,
  handler: ({ db, access, params, actor }) => deleteProjectMetricConfig(db, access, params.name, actor),
});
