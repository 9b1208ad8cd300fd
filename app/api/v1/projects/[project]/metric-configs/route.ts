import { defineRoute } from "@/lib/http/define-route";
import { createProjectMetricConfig, listProjectMetricConfigs } from "@/lib/services/settings";
import {
  createMetricConfigBodySchema,
  metricConfigListSchema,
  metricConfigResponseSchema,
} from "@/lib/validation/ml-settings";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/metric-configs",
  summary: "List the project's metric configurations",
  description: "Named metric setups (metric, options, weight, target score) that runs can refer to by name.",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: metricConfigListSchema,
  handler: async ({ db, access }) => ({ items: await listProjectMetricConfigs(db, access) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/metric-configs",
  summary: "Create a metric configuration (409 when the name is taken)",
  description:
    "`metric` names a built-in metric and `options` are checked against that metric's own options " +
    "(a 400 names the field). Runs refer to the configuration by its `name`.",
  tags: ["ml-settings"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  body: createMetricConfigBodySchema,
  response: metricConfigResponseSchema,
  status: 201,
  handler: ({ db, access, body, actor }) => createProjectMetricConfig(db, access, body, actor),
});
