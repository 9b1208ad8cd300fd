import { defineRoute } from "@/lib/http/define-route";
import { moveTaskLabel, removeTaskLabel } from "@/lib/services/prompts";
import {
  labelChangeSchema,
  labelParamsSchema,
  moveLabelBodySchema,
  removeLabelBodySchema,
} from "@/lib/validation/prompt-labels";

export const dynamic = "force-dynamic";

export const PUT = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project}/prompts/{task}/labels/{label}",
  summary: "Point a label at a version (adding the label if the task has none of that name)",
  description:
    "Written to the label history and the audit log in one transaction. 409 `protected_label` for a protected " +
    "label (request the change instead); 409 `variables_changed` naming the variables callers must send that " +
    "differ, unless `confirmVariableChange`; 409 when the label is not on `expectedVersion`. A caller without " +
    "the role gets a 403, recorded in the audit log.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: labelParamsSchema,
  body: moveLabelBodySchema,
  response: labelChangeSchema,
  handler: ({ db, access, params, body, actor }) =>
    moveTaskLabel(db, access, params.task, params.label, body, actor),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/prompts/{task}/labels/{label}",
  summary: "Remove a label (409 protected_label while it is protected)",
  description:
    "A protected label cannot be removed until it is unprotected (409 protected_label). The " +
    "removal is recorded in the label history.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: labelParamsSchema,
  body: removeLabelBodySchema,
  response: labelChangeSchema,
  handler: ({ db, access, params, body, actor }) =>
    removeTaskLabel(db, access, params.task, params.label, body, actor),
});
