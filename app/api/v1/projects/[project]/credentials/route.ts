import { defineRoute } from "@/lib/http/define-route";
import { listProjectCredentials } from "@/lib/services/credentials/manage";
import { credentialListSchema } from "@/lib/validation/ml-settings";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/credentials",
  summary: "Provider credentials: set or not, fingerprint, who and when (never a value)",
  description:
    "One entry per provider credential of the project: whether a value is set, its fingerprint, " +
    "its endpoint, and who set it when. Values never leave the server.",
  tags: ["ml-settings"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  response: credentialListSchema,
  handler: async ({ db, access }) => ({ items: await listProjectCredentials(db, access) }),
});
