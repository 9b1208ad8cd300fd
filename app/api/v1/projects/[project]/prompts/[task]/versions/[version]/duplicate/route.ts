import { defineRoute } from "@/lib/http/define-route";
import { duplicateTaskVersion } from "@/lib/services/prompts";
import { duplicateVersionBodySchema } from "@/lib/validation/prompt-authoring";
import { promptVersionParamsSchema, promptVersionSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/versions/{version}/duplicate",
  summary: "Copy a version (prompts, demos, parameters, variables, model) into a new version",
  description:
    "A quick way back to an older prompt: the copy becomes the newest version, with an optional " +
    "`message`. Labels do not move.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: promptVersionParamsSchema,
  body: duplicateVersionBodySchema,
  response: promptVersionSchema,
  status: 201,
  handler: ({ db, access, params, body, actor }) =>
    duplicateTaskVersion(db, access, params.task, params.version, body, actor),
});
