import { defineRoute } from "@/lib/http/define-route";
import { decodeCursor, encodeCursor } from "@/lib/http/pagination";
import { getVersionFeedback } from "@/lib/services/generations";
import { versionFeedbackPageSchema, versionFeedbackQuerySchema } from "@/lib/validation/generations";
import { promptVersionParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/versions/{version}/feedback",
  summary: "A version's feedback: per name the count, mean, thumbs-up rate, categories, corrections",
  description:
    "Sums up the feedback on the version's generations and experiment exposures per feedback name, " +
    "with its newest feedback (page with `cursor`).",
  tags: ["feedback"],
  auth: { role: "viewer" },
  params: promptVersionParamsSchema,
  query: versionFeedbackQuerySchema,
  response: versionFeedbackPageSchema,
  handler: async ({ db, access, params, query }) => {
    const { summary, page } = await getVersionFeedback(db, access, params.task, params.version, {
      cursor: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return { ...summary, items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  },
});
