import { defineRoute } from "@/lib/http/define-route";
import { decodeCursor, encodeCursor } from "@/lib/http/pagination";
import { startProjectRun } from "@/lib/services/runs";
import { listProjectRuns } from "@/lib/services/runs/reads";
import { projectParamsSchema } from "@/lib/validation/projects";
import { createdRunSchema, runListQuerySchema, runPageSchema, runSpecSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/runs",
  summary: "List the project's runs, newest first, with score and progress",
  description:
    "Filter by `status`, `kind` (optimize or eval) and `task`; page with `cursor`. Start a run " +
    "with POST on this path.",
  tags: ["runs"],
  auth: { role: "viewer" },
  params: projectParamsSchema,
  query: runListQuerySchema,
  response: runPageSchema,
  handler: async ({ db, access, query }) => {
    const page = await listProjectRuns(db, access, { ...query, cursor: decodeCursor(query.cursor) });
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  },
});

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/runs",
  summary: "Start an optimization run",
  description:
    "Checks the whole spec first (task, prompt version, dataset version and its rows against the template, " +
    "models and their credentials, metrics, strategy); any problem is a 400 naming the field and nothing " +
    "is queued. The run is queued and handed to the active runner (202). Its winner is not saved " +
    "automatically: save it with POST …/runs/{run}/winner.",
  tags: ["runs"],
  auth: { role: "editor" },
  params: projectParamsSchema,
  body: runSpecSchema,
  response: createdRunSchema,
  status: 202,
  handler: async ({ db, access, body, actor }) => {
    const run = await startProjectRun(db, access, body, actor);
    return { id: run.id, status: "queued" as const, runner: run.runner };
  },
});
