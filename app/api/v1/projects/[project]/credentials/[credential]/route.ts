import { defineRoute } from "@/lib/http/define-route";
import {
  getProjectCredential,
  removeProjectCredential,
  setProjectCredential,
} from "@/lib/services/provider-credentials";
import {
  credentialBodySchema,
  credentialParamsSchema,
  credentialStatusSchema,
} from "@/lib/validation/ml-settings";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/credentials/{provider}",
  summary: "A provider credential's status (never its value)",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: credentialParamsSchema,
  response: credentialStatusSchema,
  handler: ({ db, access, params }) => getProjectCredential(db, access, params.provider),
});

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/credentials/{provider}",
  summary: "Set or replace a provider credential (stored encrypted; the response holds no value)",
  description:
    "openai: `apiKey`, optional `baseURL`. anthropic: `apiKey`. vertex: `project`, `location`, " +
    "`serviceAccountJson`. openai-compatible: `baseURL`, optional `apiKey`.",
  tags: ["ml-settings"],
  auth: { role: "admin" },
  params: credentialParamsSchema,
  body: credentialBodySchema,
  response: credentialStatusSchema,
  handler: ({ db, access, params, body, actor }) =>
    setProjectCredential(db, access, params.provider, body, actor),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/credentials/{provider}",
  summary: "Remove a provider credential",
  tags: ["ml-settings"],
  auth: { role: "admin" },
  params: credentialParamsSchema,
  handler: ({ db, access, params, actor }) => removeProjectCredential(db, access, params.provider, actor),
});
