import { defineRoute } from "@/lib/http/define-route";
import {
  getProjectCredential,
  removeProjectCredential,
  setProjectCredential,
} from "@/lib/services/credentials/manage";
import {
  credentialBodySchema,
  credentialParamsSchema,
  credentialStatusSchema,
} from "@/lib/validation/ml-settings";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/credentials/{credential}",
  summary: "A provider credential's status: provider, endpoint, fingerprint (never its value)",
  description:
    "The stored value is encrypted and never returned; compare fingerprints to tell two keys apart.",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: credentialParamsSchema,
  response: credentialStatusSchema,
  handler: ({ db, access, params }) => getProjectCredential(db, access, params.credential),
});

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/credentials/{credential}",
  summary: "Set or replace a provider credential (stored encrypted; the response holds no value)",
  description:
    "The credential is bound to its endpoint: every field is replaced, so changing `baseURL` means " +
    "sending the key again. `provider` defaults to the name when the name is a provider's " +
    "(the provider's default credential); other names need it. openai: `apiKey`, optional `baseURL`. " +
    "anthropic: `apiKey`. vertex: `project`, `location`, `serviceAccountJson`. openai-compatible: " +
    "`baseURL`, optional `apiKey`.",
  tags: ["ml-settings"],
  auth: { role: "admin" },
  params: credentialParamsSchema,
  body: credentialBodySchema,
  response: credentialStatusSchema,
  handler: ({ db, access, params, body, actor }) =>
    setProjectCredential(db, access, params.credential, body, actor),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/credentials/{credential}",
  summary: "Remove a provider credential (409 while a model configuration names it)",
  description:
    "Model configurations that name the credential must be changed first: while one does, the " +
    "answer is 409 naming it.",
  tags: ["ml-settings"],
  auth: { role: "admin" },
  params: credentialParamsSchema,
  handler: ({ db, access, params, actor }) => removeProjectCredential(db, access, params.credential, actor),
});
