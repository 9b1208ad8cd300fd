import { defineRoute } from "@/lib/http/define-route";
import { getGenerationDetail } from "@/lib/services/generations";
import { generationDetailSchema, generationParamsSchema } from "@/lib/validation/generations";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/generations/{generation}",
  summary: "One generation: variables, output or error, figures, experiment, subject and its feedback",
  description:
    "The whole generation with its feedback, newest first. A generation of another prompt or project is a 404.",
  tags: ["feedback"],
  auth: { role: "viewer" },
  params: generationParamsSchema,
  response: generationDetailSchema,
  handler: ({ db, access, params }) => getGenerationDetail(db, access, params.task, params.generation),
});
