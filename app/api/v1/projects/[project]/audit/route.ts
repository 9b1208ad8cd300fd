import { defineRoute } from "@/lib/http/define-route";
import { decodeCursor, toPageResponse } from "@/lib/http/pagination";
import { auditEntryView, listProjectAudit } from "@/lib/services/audit-log";
import { auditPageSchema, auditQuerySchema } from "@/lib/validation/audit";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/audit",
  summary: "Read the project's audit log, newest first",
  description:
    "Who changed what in the project and when, with the values before and after, and refused " +
    "attempts on sensitive operations such as moving labels. Filter by `action`; page with " +
    "`cursor`.",
  tags: ["audit"],
  auth: { role: "admin" },
  params: projectParamsSchema,
  query: auditQuerySchema,
  response: auditPageSchema,
  handler: async ({ db, access, query }) => {
    const page = await listProjectAudit(db, access, { ...query, cursor: decodeCursor(query.cursor) });
    return toPageResponse(page, auditEntryView);
  },
});
