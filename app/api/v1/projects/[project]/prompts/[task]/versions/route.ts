import { defineRoute } from "@/lib/http/define-route";
import { decodeVersionCursor, encodeVersionCursor } from "@/lib/http/version-cursor";
import { createTaskVersion, listTaskVersions } from "@/lib/services/prompts";
import { newVersionBodySchema } from "@/lib/validation/prompt-authoring";
import {
  promptVersionPageSchema,
  promptVersionSchema,
  promptVersionsQuerySchema,
  taskParamsSchema,
} from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/versions",
  summary: "A task's prompt versions, newest first (cursor pagination)",
  description: "A task's versions, newest first; page with `cursor`. Read one version for its full content.",
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

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/versions",
  summary: "Write a new immutable version: prompts, demos, parameters, typed variables, model, message",
  description:
    "Declared `variables` must match the output prompt: a `{{variable}}` it does not declare, or a declared " +
    "one the template never uses, is a 400 naming it; so are demos lacking or mistyping a variable, and a " +
    '`model` that is neither a model configuration of the project nor a usable "provider:model" id.',
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: taskParamsSchema,
  body: newVersionBodySchema,
  response: promptVersionSchema,
  status: 201,
  handler: ({ db, access, params, body, actor }) => createTaskVersion(db, access, params.task, body, actor),
});
