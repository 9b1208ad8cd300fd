import { defineRoute } from "@/lib/http/define-route";
import { decodeCursor, toPageResponse } from "@/lib/http/pagination";
import { listTaskGenerations } from "@/lib/services/generations";
import { generationPageSchema, generationsQuerySchema } from "@/lib/validation/generations";
import { taskParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/generations",
  summary: "A prompt's generations, newest first, with their feedback counts (cursor pagination)",
  description:
    "Every call of `generate` is stored as a generation. Filter by `version`, `label`, `subject`, " +
    "`experiment` and `feedback` (`any`, `none`, `negative`: a judgment with a value ≤ 0); page with `cursor`.",
  tags: ["feedback"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: generationsQuerySchema,
  response: generationPageSchema,
  handler: async ({ db, access, params, query }) => {
    const { cursor, ...rest } = query;
    const page = await listTaskGenerations(db, access, params.task, {
      ...rest,
      cursor: decodeCursor(cursor),
    });
    return toPageResponse(page, (item) => item);
  },
});
