import { defineRoute } from "@/lib/http/define-route";
import { resumeProjectRun } from "@/lib/services/job-resume";
import { resumedJobSchema } from "@/lib/validation/jobs";
import { runParamsSchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/runs/{run}/resume",
  summary: "Resume a failed or cancelled run from its last finished step",
  description:
    "The run goes back to `queued` (its error cleared) and to the active runner, which continues it from " +
    "its last finished step: finished steps are not run (nor paid for) again, results stay. A run that " +
    "is queued, running or succeeded answers 409 (`details.status` names its status). Audited as " +
    "`run.resumed`.",
  tags: ["runs"],
  auth: { role: "editor" },
  params: runParamsSchema,
  response: resumedJobSchema,
  status: 202,
  handler: ({ db, access, params, actor }) => resumeProjectRun(db, access, params.run, actor),
});
