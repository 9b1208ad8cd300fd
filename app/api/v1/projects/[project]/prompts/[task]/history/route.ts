import { defineRoute } from "@/lib/http/define-route";
import { decodeCursor, toPageResponse } from "@/lib/http/pagination";
import { pageTaskLabelHistory } from "@/lib/services/prompts";
import { historyQuerySchema, labelHistoryPageSchema } from "@/lib/validation/prompt-labels";
import { taskParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/history",
  summary: "The label history: every add, move, rollback, removal and protection change, newest first",
  description:
    "Who moved which label from which version to which, and when. Filter by `label`; page with `cursor`.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: historyQuerySchema,
  response: labelHistoryPageSchema,
  handler: async ({ db, access, params, query }) => {
    const page = await pageTaskLabelHistory(db, access, params.task, {
      ...query,
      cursor: decodeCursor(query.cursor),
    });
    return toPageResponse(page, (event) => event);
  },
});
