import { defineRoute } from "@/lib/http/define-route";
import { compareTaskVersions } from "@/lib/services/prompts";
import { compareQuerySchema, versionComparisonSchema } from "@/lib/validation/prompt-compare";
import { taskParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/compare",
  summary: "Compare two versions: text diff, parameter, model and variable changes, scores on the same data",
  description:
    "Pass two version numbers as `from` and `to`. The answer lists what changed between them and " +
    "how each scored where both were evaluated on the same data.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: compareQuerySchema,
  response: versionComparisonSchema,
  handler: ({ db, access, params, query }) =>
    compareTaskVersions(db, access, params.task, query.from, query.to),
});
