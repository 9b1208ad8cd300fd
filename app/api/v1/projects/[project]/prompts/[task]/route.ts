// GET is the serving API's read: the version a prompt name resolves to, for applications
// (docs/api-serving.md). Answered from memory after the first read (lib/services/serving), with a strong
// ETag; a matching If-None-Match is a 304 without a body. PATCH and DELETE change the task itself; its
// page data (description, labels, versions) is `GET …/prompts/{task}/details`.
import { ifNoneMatchHits } from "@/lib/http/conditional";
import { defineRoute } from "@/lib/http/define-route";
import { deletePromptTask, updatePromptTask } from "@/lib/services/prompts";
import { experimentAnswer, routeServedPrompt, subjectOf } from "@/lib/services/serving";
import { updateTaskBodySchema } from "@/lib/validation/prompt-authoring";
import { promptTaskSchema, taskParamsSchema } from "@/lib/validation/prompts";
import { servedPromptSchema, servingQuerySchema } from "@/lib/validation/serving";

// Never prerendered or cached by Next.js, and the request is not wrapped in Next's dynamic-usage proxy.
export const dynamic = "force-dynamic";

/** Clients may keep the answer but must revalidate it (cheaply, by ETag) before each use. */
const SUBJECT_VARY = "X-Strop-Subject";
const CACHE_CONTROL = "private, max-age=0, must-revalidate";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}",
  summary: "The version a prompt resolves to: by label (default production; latest: the newest) or number",
  description:
    "Send the ETag back as If-None-Match to get 304 Not Modified while the label still points at the " +
    "same version. Unknown prompt, label or version: 404 naming it.",
  tags: ["serving"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: servingQuerySchema,
  rawResponse: {
    contentTypes: ["application/json"],
    description: "The resolved version (or 304 Not Modified for a matching If-None-Match).",
    schema: servedPromptSchema,
  },
  handler: async ({ request, db, access, params, query }) => {
    // With a subject, an experiment running on the label picks the version (docs/api-experiments.md).
    const subject = subjectOf(query.subject, request.headers);
    const routed = await routeServedPrompt(db, access.project.id, params.task, { ...query, subject });
    const served = await experimentAnswer(db, access.project.id, routed);
    // The subject may come in a header: caches must keep answers apart by it.
    const headers = { ETag: served.etag, "Cache-Control": CACHE_CONTROL, Vary: SUBJECT_VARY };
    if (ifNoneMatchHits(request.headers.get("if-none-match"), served.etag))
      return new Response(null, { status: 304, headers });
    // Bytes encoded once, with their length: no per-request encoding, no chunked transfer.
    return new Response(served.bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        ...headers,
        "Content-Type": "application/json",
        "Content-Length": String(served.bytes.byteLength),
      },
    });
  },
});

export const PATCH = defineRoute({
  method: "PATCH",
  path: "/api/v1/projects/{project}/prompts/{task}",
  summary: "Change a task's description",
  description: "Only the description changes; prompts change by writing a new version.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: taskParamsSchema,
  body: updateTaskBodySchema,
  response: promptTaskSchema,
  handler: ({ db, access, params, body, actor }) => updatePromptTask(db, access, params.task, body, actor),
});

export const DELETE = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project}/prompts/{task}",
  summary: "Delete a task with its versions, runs and history (409 while a label points into it)",
  description:
    "409 naming the labels (`details.labels`) while any points into the task, or while a run or " +
    "batch of it is unfinished.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: taskParamsSchema,
  handler: ({ db, access, params, actor }) => deletePromptTask(db, access, params.task, actor),
});
