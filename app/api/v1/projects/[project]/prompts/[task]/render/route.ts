import { defineRoute } from "@/lib/http/define-route";
import { renderedView, renderServedPrompt, subjectOf } from "@/lib/services/serving";
import { taskParamsSchema } from "@/lib/validation/prompts";
import { renderBodySchema, renderedPromptSchema } from "@/lib/validation/serving";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/render",
  summary: "Provider-ready chat messages of a prompt version for given variables",
  description:
    "Resolves like GET …/prompts/{task} (label, default production, or version), checks the variables " +
    "against the version's schema (400 naming each missing, mistyped or unknown variable) and renders.",
  tags: ["serving"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  body: renderBodySchema,
  response: renderedPromptSchema,
  handler: async ({ request, db, access, params, body }) =>
    renderedView(
      await renderServedPrompt(db, access, params.task, {
        ...body,
        subject: subjectOf(body.subject, request.headers),
      }),
    ),
});
