import { defineRoute } from "@/lib/http/define-route";
import { decideLabelChange } from "@/lib/services/prompts";
import { changeRequestDetailSchema, changeRequestParamsSchema } from "@/lib/validation/prompt-labels";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/change-requests/{request}/reject",
  summary: "Reject an open change request (admins; never one's own)",
  description: "403 (audited) for the requester. 409 when the request is not open.",
  tags: ["prompts"],
  auth: { role: "admin" },
  auditRefusals: true,
  params: changeRequestParamsSchema,
  response: changeRequestDetailSchema,
  handler: ({ db, access, params, actor }) =>
    decideLabelChange(db, access, params.task, params.request, "rejected", actor),
});
