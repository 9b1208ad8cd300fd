import { defineRoute } from "@/lib/http/define-route";
import { getTaskChangeRequest } from "@/lib/services/prompts";
import { changeRequestDetailSchema, changeRequestParamsSchema } from "@/lib/validation/prompt-labels";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/change-requests/{request}",
  summary: "One change request with its diff, variable changes and the newest evaluation of both versions",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: changeRequestParamsSchema,
  response: changeRequestDetailSchema,
  handler: ({ db, access, params }) => getTaskChangeRequest(db, access, params.task, params.request),
});
