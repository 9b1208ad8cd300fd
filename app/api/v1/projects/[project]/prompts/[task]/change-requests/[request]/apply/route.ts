import { defineRoute } from "@/lib/http/define-route";
import { applyLabelChange } from "@/lib/services/prompts";
import { appliedChangeSchema, changeRequestParamsSchema } from "@/lib/validation/prompt-labels";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/change-requests/{request}/apply",
  summary: "Apply an approved change request: the label moves, protected or not",
  description:
    "One transaction: the label moves (history and audit entries) and the request is marked applied. 409 " +
    "when the request is not approved, or when its label moved since it was made (it is marked stale).",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: changeRequestParamsSchema,
  response: appliedChangeSchema,
  handler: ({ db, access, params, actor }) =>
    applyLabelChange(db, access, params.task, params.request, actor),
});
