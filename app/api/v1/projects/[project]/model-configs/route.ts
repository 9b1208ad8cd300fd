import { defineRoute } from "@/lib/http/define-route";
import { createProjectModelConfig, listProjectModelConfigs } from "@/lib/services/settings";
import {
  createModelConfigBodySchema,
  modelConfigListSchema,
  modelConfigResponseSchema,
} from "@/lib/validation/ml-settings";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/model-configs",
  summary: "List the project's model configurations",
  description:
    "Named model setups (provider:model id, credential, parameters, price, limits) that runs and " +
    "batches can refer to by name.",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: modelConfigListSchema,
  handler: async ({ db, access }) => ({ items: await listProjectModelConfigs(db, access) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/model-configs",
  summary: "Create a model configuration (409 when the name is taken)",
  description:
    "`model` is a `provider:model` id (e.g. `openai:gpt-4o-mini`, or `sim:…` for the offline " +
    "simulator). `credential` names a stored provider credential; parameters, price, concurrency, " +
    "rate limit, timeout and retries are optional.",
  tags: ["ml-settings"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  body: createModelConfigBodySchema,
  response: modelConfigResponseSchema,
  status: 201,
  handler: ({ db, access, body, actor }) => createProjectModelConfig(db, access, body, actor),
});
