import { defineRoute } from "@/lib/http/define-route";
import { decodeVersionCursor, encodeVersionCursor } from "@/lib/http/version-cursor";
import { listTaskVersions } from "@/lib/services/prompts";
import {
  promptVersionPageSchema,
  promptVersionsQuerySchema,
  taskParamsSchema,
} from "@/lib/validation/prompts";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}",
  summary: "A task and its prompt versions, newest first (cursor pagination)",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: promptVersionsQuerySchema,
  response: promptVersionPageSchema,
  handler: async ({ db, access, params, query }) => {
    const page = await listTaskVersions(db, access, params.task, {
      before: decodeVersionCursor(query.cursor),
      limit: query.limit,
    });
    return {
      task: page.task,
      items: page.items,
      nextCursor: page.nextBefore !== null ? encodeVersionCursor(page.nextBefore) : null,
    };
  },
});
