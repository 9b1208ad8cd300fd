import { defineRoute } from "@/lib/http/define-route";
import { reviewGeneration } from "@/lib/services/generations";
import { feedbackResultSchema } from "@/lib/validation/feedback";
import { generationParamsSchema, reviewBodySchema } from "@/lib/validation/generations";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/generations/{generation}/feedback",
  summary: "Review a generation: feedback with source `reviewer` (editors)",
  description:
    "The same feedback as POST /api/v1/feedback, sent by a reviewer about this generation. A `correction` " +
    "becomes an example when a dataset is built from feedback. A replayed `idempotencyKey` counts once.",
  tags: ["feedback"],
  auth: { role: "editor" },
  auditRefusals: true,
  status: 201,
  params: generationParamsSchema,
  body: reviewBodySchema,
  response: feedbackResultSchema,
  handler: ({ db, access, params, body, actor }) =>
    reviewGeneration(db, access, params.task, params.generation, body, actor),
});
