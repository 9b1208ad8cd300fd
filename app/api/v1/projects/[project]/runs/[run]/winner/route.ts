import { defineRoute } from "@/lib/http/define-route";
import { saveRunWinner } from "@/lib/services/runs";
import { runParamsSchema, savedWinnerSchema } from "@/lib/validation/runs";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/runs/{run}/winner",
  summary: "Save the run's winner as a new prompt version",
  description:
    "Creates a prompt version of the run's task from the best prompt (source optimization, linked to the " +
    "run). 409 when the winner is already saved (`details.version` names it), or when the run has no " +
    "winner (not succeeded, an evaluation, or no candidate beat the baseline).",
  tags: ["runs"],
  auth: { role: "editor" },
  params: runParamsSchema,
  response: savedWinnerSchema,
  status: 201,
  handler: ({ db, access, params, actor }) => saveRunWinner(db, access, params.run, actor),
});
