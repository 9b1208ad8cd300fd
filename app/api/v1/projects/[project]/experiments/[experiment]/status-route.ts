// The four status changes of an experiment share one shape: POST, editors, no body, the experiment back.
import { defineRoute } from "@/lib/http/define-route";
import { changeProjectExperiment } from "@/lib/services/experiments";
import { experimentParamsSchema, experimentSchema } from "@/lib/validation/experiments";

type Change = "started" | "paused" | "resumed" | "stopped";
const VERBS: Record<Change, string> = {
  started: "start",
  paused: "pause",
  resumed: "resume",
  stopped: "stop",
};

export function experimentStatusRoute(change: Change, summary: string, description: string) {
  return defineRoute({
    method: "POST",
    path: `/api/v1/projects/{project}/experiments/{experiment}/${VERBS[change]}`,
    summary,
    description,
    tags: ["experiments"],
    auth: { role: "editor" },
    auditRefusals: true,
    params: experimentParamsSchema,
    response: experimentSchema,
    handler: ({ db, access, params, actor }) =>
      changeProjectExperiment(db, access, params.experiment, change, actor),
  });
}
