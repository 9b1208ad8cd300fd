import { defineRoute } from "@/lib/http/define-route";
import { generateFromServedPrompt, subjectOf } from "@/lib/services/serving";
import { taskParamsSchema } from "@/lib/validation/prompts";
import { generateBodySchema, generationSchema } from "@/lib/validation/serving";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/generate",
  summary: "Generate with a prompt version's model through Strop's gateway; the generation is stored",
  description:
    "Renders like …/render, then calls the version's model (its model configuration or provider:model " +
    "id; none: sim:default) with the project's credentials, response cache, limits and retries. The " +
    "answer carries the stored generation's id. A provider failure is a 502 provider_error (the " +
    "generation is stored with the error); a model the project cannot call is a 409 model_unusable.",
  tags: ["serving"],
  // It spends the project's provider credits: more than reading.
  auth: { role: "editor" },
  params: taskParamsSchema,
  body: generateBodySchema,
  response: generationSchema,
  handler: ({ request, db, access, params, body }) =>
    generateFromServedPrompt(
      db,
      access,
      params.task,
      { ...body, subject: subjectOf(body.subject, request.headers) },
      { signal: request.signal },
    ),
});
