import { defineRoute } from "@/lib/http/define-route";
import { setTaskLabelProtection } from "@/lib/services/prompts";
import { labelChangeSchema, labelParamsSchema, protectionBodySchema } from "@/lib/validation/prompt-labels";

export const dynamic = "force-dynamic";

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/prompts/{task}/labels/{label}/protection",
  summary: "Protect or unprotect a label (admins): a protected label moves only through change requests",
  description:
    "While a label is protected, editors cannot move it directly: they open a change request that " +
    "another admin approves.",
  tags: ["prompts"],
  auth: { role: "admin" },
  auditRefusals: true,
  params: labelParamsSchema,
  body: protectionBodySchema,
  response: labelChangeSchema,
  handler: ({ db, access, params, body, actor }) =>
    setTaskLabelProtection(db, access, params.task, params.label, body, actor),
});
