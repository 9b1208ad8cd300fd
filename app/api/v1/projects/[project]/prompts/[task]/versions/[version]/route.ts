import { defineRoute } from "@/lib/http/define-route";
import { getTaskVersion } from "@/lib/services/prompts";
import { promptVersionParamsSchema, promptVersionSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/versions/{version}",
  summary: "One prompt version: prompts, variables, model parameters, demos, source and run",
  description:
    "Versions are immutable: what you read is exactly what was served and evaluated under this number.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: promptVersionParamsSchema,
  response: promptVersionSchema,
  handler: ({ db, access, params }) => getTaskVersion(db, access, params.task, params.version),
});
