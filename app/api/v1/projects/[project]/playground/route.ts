import { defineRoute } from "@/lib/http/define-route";
import { NDJSON_CONTENT_TYPE, playgroundNdjson } from "@/lib/services/playground";
import {
  playgroundParamsSchema,
  playgroundRecordSchema,
  playgroundRunBodySchema,
} from "@/lib/validation/playground";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/playground",
  summary: "Run the same variables through up to four versions or drafts, each on a model, streamed",
  description:
    "Each column is a version of `task` or an unsaved draft, on a model (a model configuration or " +
    "provider:model id; default: the version's model, else sim:default), called through the gateway " +
    "with the project's credentials, response cache, limits and retries. Everything is checked before " +
    "the first call (400 naming the field). The answer is NDJSON, one record per line: `start` per " +
    "column, `delta` as text arrives, then `result` (usage, latencyMs, costUsd) or `error` per column.",
  tags: ["playground"],
  // It spends the project's provider credits.
  auth: { role: "editor" },
  params: playgroundParamsSchema,
  body: playgroundRunBodySchema,
  rawResponse: {
    contentTypes: ["application/x-ndjson"],
    description: "One PlaygroundRecord per line.",
    schema: playgroundRecordSchema,
  },
  handler: async ({ request, db, access, body, actor }) =>
    new Response(await playgroundNdjson(db, access, body, actor, { signal: request.signal }), {
      headers: { "Content-Type": NDJSON_CONTENT_TYPE, "X-Accel-Buffering": "no" },
    }),
});
