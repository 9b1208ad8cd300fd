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

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/metric-configs/{name}",
  summary: "Read a metric configuration",
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
  tags: ["ml-settings"],
  auth: { role: "editor" },
  params: configParamsSchema,
  handler: ({ db, access, params, actor }) => deleteProjectMetricConfig(db, access, params.name, actor),
});
