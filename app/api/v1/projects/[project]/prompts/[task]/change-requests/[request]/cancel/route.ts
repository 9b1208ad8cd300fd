import { defineRoute } from "@/lib/http/define-route";
import { cancelLabelChange } from "@/lib/services/prompts";
import { changeRequestDetailSchema, changeRequestParamsSchema } from "@/lib/validation/prompt-labels";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/change-requests/{request}/cancel",
  summary: "Withdraw an open or approved change request (its requester, or an admin)",
  description:
    "The request is closed without moving the label. Only its requester or an admin may withdraw " +
    "it; an applied or rejected request answers 409.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: changeRequestParamsSchema,
  response: changeRequestDetailSchema,
  handler: ({ db, access, params, actor }) =>
    cancelLabelChange(db, access, params.task, params.request, actor),
});
