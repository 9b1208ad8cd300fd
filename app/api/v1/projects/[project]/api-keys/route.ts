import { defineRoute } from "@/lib/http/define-route";
import { createProjectApiKey, listProjectApiKeys } from "@/lib/services/api-keys";
import { apiKeyListSchema, createApiKeyBodySchema, createdApiKeySchema } from "@/lib/validation/api-keys";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/api-keys",
  summary: "List the project's API keys (prefixes only, never secrets)",
  description:
    "Each key's name, role and prefix. The secret is stored only as a hash, so it cannot be read " +
    "again: create a new key if it is lost.",
  tags: ["api-keys"],
  auth: { role: "admin" },
  params: projectParamsSchema,
  response: apiKeyListSchema,
  handler: async ({ db, access }) => ({ items: await listProjectApiKeys(db, access) }),
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/api-keys",
  summary: "Create an API key; the response holds the secret, shown only this once",
  description:
    "The key acts with the given role inside this project only. Copy `secret` from the response: " +
    "it is shown once; later calls show only its prefix. Send it as `Authorization: Bearer " +
    "strop_…`.",
  tags: ["api-keys"],
  auth: { role: "admin" },
  params: projectParamsSchema,
  body: createApiKeyBodySchema,
  response: createdApiKeySchema,
  status: 201,
  handler: ({ db, access, body, actor }) => createProjectApiKey(db, access, body, actor),
});
