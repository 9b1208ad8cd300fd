import { defineRoute } from "@/lib/http/define-route";
import { lastEventIdOf, sseResponse } from "@/lib/http/sse";
import { openBatchEvents } from "@/lib/services/batch-events";
import { idSchema } from "@/lib/validation/common";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

const batchParamsSchema = projectParamsSchema.extend({ batch: idSchema.meta({ description: "Batch id." }) });

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/batches/{batch}/events",
  summary: "Follow a batch's progress (server-sent events)",
  description:
    "`progress` events (`{ status, totalRows, doneRows, failedRows, skippedRows, calls, inputTokens, " +
    "outputTokens, costUsd, cacheHits }`) on connect and whenever a counter changes (checked about every " +
    "500 ms), then `end` (id `end`, the same fields plus `error`) when the batch has finished, and the " +
    "stream closes. Reconnecting with `Last-Event-ID: end` answers `end` again at once. A comment line " +
    "every 15 s keeps a quiet connection open.",
  tags: ["batches"],
  auth: { role: "viewer" },
  params: batchParamsSchema,
  rawResponse: { contentTypes: ["text/event-stream"], description: "Server-sent events." },
  cacheControl: "no-cache, no-transform",
  handler: async ({ db, access, params, request }) => {
    const events = await openBatchEvents(db, access, params.batch, { lastEventId: lastEventIdOf(request) });
    return sseResponse(request, events);
  },
});
