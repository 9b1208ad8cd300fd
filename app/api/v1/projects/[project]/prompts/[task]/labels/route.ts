import { defineRoute } from "@/lib/http/define-route";
import { listTaskLabels } from "@/lib/services/prompts";
import { labelListSchema } from "@/lib/validation/prompt-labels";
import { taskParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/labels",
  summary: "The task's labels and the version each points at (`latest`: the newest version)",
  description:
    "Labels such as `production` and `staging` point at versions and say whether they are " +
    "protected. `latest` is implicit and always points at the newest version.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  response: labelListSchema,
  handler: ({ db, access, params }) => listTaskLabels(db, access, params.task),
});
