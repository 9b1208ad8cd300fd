import { defineRoute } from "@/lib/http/define-route";
import { assignSubject } from "@/lib/services/experiments";
import { assignBodySchema, assignmentSchema, experimentParamsSchema } from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/experiments/{experiment}/assign",
  summary: "The subject's variant of a running experiment (sticky); the exposure is recorded once",
  description:
    "For applications that fetch versions themselves. The same subject always gets the same variant; " +
    "`firstExposure` is true on the call that recorded the exposure. 409 unless the experiment runs.",
  tags: ["experiments"],
  // It writes (the exposure): more than reading.
  auth: { role: "editor" },
  params: experimentParamsSchema,
  body: assignBodySchema,
  response: assignmentSchema,
  handler: ({ db, access, params, body }) => assignSubject(db, access, params.experiment, body.subjectId),
});
