import { defineRoute } from "@/lib/http/define-route";
import { saveRunWinner } from "@/lib/services/runs";
import { savedWinnerWithLabelSchema, saveWinnerBodySchema } from "@/lib/validation/prompt-labels";
import { runParamsSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/runs/{run}/winner",
  summary: "Save the run's winner as a new prompt version, optionally labelled (e.g. staging)",
  description:
    "Creates a prompt version of the run's task from the best prompt (source optimization, linked to the " +
    "run). 409 when the winner is already saved (`details.version` names it), or when the run has no " +
    "winner (not succeeded, an evaluation, or no candidate beat the baseline). With `{ label }` the label is " +
    "pointed at the saved version in the same transaction (citing the run), through the label rules: a " +
    "protected label or changed variables (409 `protected_label`, `variables_changed`) leave nothing saved.",
  tags: ["runs"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: runParamsSchema,
  body: saveWinnerBodySchema,
  response: savedWinnerWithLabelSchema,
  status: 201,
  handler: ({ db, access, params, body, actor }) =>
    saveRunWinner(db, access, params.run, actor, body?.label ? { ...body, label: body.label } : undefined),
});
