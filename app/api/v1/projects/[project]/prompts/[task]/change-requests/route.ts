import { defineRoute } from "@/lib/http/define-route";
import { decodeCursor, toPageResponse } from "@/lib/http/pagination";
import { listTaskChangeRequests, requestLabelChange } from "@/lib/services/prompts";
import {
  changeRequestDetailSchema,
  changeRequestPageSchema,
  changeRequestQuerySchema,
  createChangeRequestBodySchema,
} from "@/lib/validation/prompt-labels";
import { taskParamsSchema } from "@/lib/validation/prompts";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/prompts/{task}/change-requests",
  summary: "The task's label change requests, newest first (optionally of one status)",
  description:
    "Requests to move a protected label, with requester, versions, status and reviews. Filter by " +
    "`status`; page with `cursor`.",
  tags: ["prompts"],
  auth: { role: "viewer" },
  params: taskParamsSchema,
  query: changeRequestQuerySchema,
  response: changeRequestPageSchema,
  handler: async ({ db, access, params, query }) => {
    const page = await listTaskChangeRequests(db, access, params.task, {
      ...query,
      cursor: decodeCursor(query.cursor),
    });
    return toPageResponse(page, (request) => request);
  },
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/prompts/{task}/change-requests",
  summary: "Request a label move (how a protected label moves): shown with the diff and both evaluations",
  description:
    "Records where the label is now; an admin or owner other than the requester approves it, then it is " +
    "applied. 409 `variables_changed` unless `confirmVariableChange`.",
  tags: ["prompts"],
  auth: { role: "editor" },
  auditRefusals: true,
  params: taskParamsSchema,
  body: createChangeRequestBodySchema,
  response: changeRequestDetailSchema,
  status: 201,
  handler: ({ db, access, params, body, actor }) => requestLabelChange(db, access, params.task, body, actor),
});
