import { defineRoute } from "@/lib/http/define-route";
import { diffTaskVersions } from "@/lib/services/prompts";
import { promptDiffQuerySchema, promptDiffSchema, taskParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/diff",
  summary: "Line diff of two prompt versions of a task, field by field",
  description:
    "For each field of the two versions, the lines removed and added going from version `from` to " +
    "version `to`.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: promptDiffQuerySchema,
  response: promptDiffSchema,
  handler: ({ db, access, params, query }) => diffTaskVersions(db, access, params.task, query.from, query.to),
});
