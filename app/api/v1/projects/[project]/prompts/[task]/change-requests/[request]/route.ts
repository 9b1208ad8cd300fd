import { defineRoute } from "@/lib/http/define-route";
import { getTaskChangeRequest } from "@/lib/services/prompts";
import { changeRequestDetailSchema, changeRequestParamsSchema } from "@/lib/validation/prompt-labels";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/change-requests/{request}",
  summary: "One change request with its diff, variable changes and the newest evaluation of both versions",
  description:
    "Everything a reviewer needs in one call: the line diff, added or removed variables, and how " +
    "both versions scored on the same data when they were last evaluated.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: changeRequestParamsSchema,
  response: changeRequestDetailSchema,
  handler: ({ db, access, params }) => getTaskChangeRequest(db, access, params.task, params.request),
});
