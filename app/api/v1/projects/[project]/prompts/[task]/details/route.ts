import { defineRoute } from "@/lib/http/define-route";
import { encodeVersionCursor } from "@/lib/http/version-cursor";
import { getTaskDetails } from "@/lib/services/prompts";
import { taskDetailsQuerySchema, taskDetailsSchema } from "@/lib/validation/prompt-authoring";
import { taskParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/details",
  summary: "A task's page: description, labels, newest versions and pending change requests",
  description:
    "What the task page shows, in one call: `limit` sets how many of the newest versions come with it.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: taskDetailsQuerySchema,
  response: taskDetailsSchema,
  handler: async ({ db, access, params, query }) => {
    const details = await getTaskDetails(db, access, params.task, query);
    const { nextBefore, ...rest } = details;
    return { ...rest, nextCursor: nextBefore !== null ? encodeVersionCursor(nextBefore) : null };
  },
});
