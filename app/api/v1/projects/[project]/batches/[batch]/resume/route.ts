import { defineRoute } from "@/lib/http/define-route";
import { resumeProjectBatch } from "@/lib/services/job-resume";
import { idSchema } from "@/lib/validation/common";
import { resumedJobSchema } from "@/lib/validation/jobs";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

const batchParamsSchema = projectParamsSchema.extend({ batch: idSchema.meta({ description: "Batch id." }) });

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/batches/{batch}/resume",
  summary: "Resume a failed or cancelled batch with its rows not done yet",
  description:
    "The batch goes back to `queued` (its error cleared) and to the active runner, which calls the model " +
    "only for rows not done yet: finished rows keep their outputs and are not paid for again. A batch " +
    "that is queued, running or succeeded answers 409 (`details.status` names its status). Audited as " +
    "`batch.resumed`.",
  tags: ["batches"],
  auth: { role: "editor" },
  params: batchParamsSchema,
  response: resumedJobSchema,
  status: 202,
  handler: ({ db, access, params, actor }) => resumeProjectBatch(db, access, params.batch, actor),
});
