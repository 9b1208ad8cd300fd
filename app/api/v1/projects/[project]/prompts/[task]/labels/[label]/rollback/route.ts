import { defineRoute } from "@/lib/http/define-route";
import { rollbackTaskLabel } from "@/lib/services/prompts";
import { labelChangeSchema, labelParamsSchema, rollbackBodySchema } from "@/lib/validation/prompt-labels";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/labels/{label}/rollback",
  summary: "Move a label back to the version it pointed at before (one call)",
  description:
    "Forward moves stack up in the history and each rollback takes one off: rolling back twice goes two " +
    "versions back. 409 when there is no earlier version, or `protected_label`, or `variables_changed`.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: labelParamsSchema,
  body: rollbackBodySchema,
  response: labelChangeSchema,
  handler: ({ db, access, params, body, actor }) =>
    rollbackTaskLabel(db, access, params.task, params.label, body, actor),
});
