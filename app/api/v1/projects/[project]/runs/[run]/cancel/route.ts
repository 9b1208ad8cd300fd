import { defineRoute } from "@/lib/http/define-route";
import { cancelProjectRun } from "@/lib/services/runs";
import { cancelledRunSchema, runParamsSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/runs/{run}/cancel",
  summary: "Cancel a queued or running run",
  description:
    "What the run finished stays readable. A run that already succeeded or failed is a 409; cancelling a " +
    "cancelled run again answers 200.",
  tags: ["runs"],
  auth: { role: "editor" },
  params: runParamsSchema,
  response: cancelledRunSchema,
  handler: async ({ db, access, params, actor }) => {
    const run = await cancelProjectRun(db, access, params.run, actor);
    return { id: run.id, status: "cancelled" as const };
  },
});
