import { defineRoute } from "@/lib/http/define-route";
import { sseResponse } from "@/lib/http/sse";
import { parseLastEventId, runEventSource } from "@/lib/services/run-events";
import { runEventsQuerySchema, runParamsSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/runs/{run}/events",
  summary: "Follow a run live (Server-Sent Events)",
  description:
    "A `text/event-stream` of progress events until the run ends. Reconnecting with " +
    "`Last-Event-ID` (or `lastEventId`) resumes after the last event received.",
  tags: ["runs"],
  auth: { role: "viewer" },
  params: runParamsSchema,
  query: runEventsQuerySchema,
  rawResponse: {
    contentTypes: ["text/event-stream"],
    description:
      "Events: `progress` (no id; { status, progress, calls, inputTokens, outputTokens, costUsd }) on " +
      "connect and on every change; `iteration` (id = index + 1; { index, incumbentScore, accepted, " +
      "acceptedCandidate, summary, candidates }) once per finished iteration; `end` (id end; { status, " +
      "error, failedStep }) when the run finished, then the stream closes. Reconnecting with " +
      "Last-Event-ID (header, or `lastEventId`) skips the iterations already received. A comment every 15 s.",
  },
  handler: async ({ db, access, params, query, request }) => {
    const header = request.headers.get("last-event-id");
    const lastEventId = header
      ? parseLastEventId(header, "Last-Event-ID header")
      : parseLastEventId(query.lastEventId, "query.lastEventId");
    return sseResponse(request, await runEventSource(db, access, params.run, { lastEventId }));
  },
});
