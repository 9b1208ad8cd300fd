import { defineRoute } from "@/lib/http/define-route";
import { exportTaskFile } from "@/lib/services/prompts";
import { taskFileQuerySchema } from "@/lib/validation/prompt-authoring";
import { promptVersionParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/versions/{version}/task-file",
  summary: "The version as a YAML task file for `strop optimize`",
  description:
    "The task and the version's prompt, with the settings of the newest run that started from or produced " +
    "the version (else the serving model, exact_match and `dataset.csv`).",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: promptVersionParamsSchema,
  query: taskFileQuerySchema,
  rawResponse: { contentTypes: ["application/yaml"], description: "A task file (YAML)." },
  handler: async ({ db, access, params, query }) => {
    const file = await exportTaskFile(db, access, params.task, { version: params.version }, query);
    return new Response(file.yaml, {
      headers: {
        "Content-Type": "application/yaml; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  },
});
