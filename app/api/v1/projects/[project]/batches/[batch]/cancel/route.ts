import { defineRoute } from "@/lib/http/define-route";
import { cancelBatch } from "@/lib/services/batches";
import { batchCancelledSchema } from "@/lib/validation/batches";
import { idSchema } from "@/lib/validation/common";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

const batchParamsSchema = projectParamsSchema.extend({ batch: idSchema.meta({ description: "Batch id." }) });

export const POST = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project}/batches/{batch}/cancel",
  summary: "Cancel a queued or running batch (409 when it has finished)",
  description:
    "Rows already finished keep their outputs; the chunk in flight stops before its next call. A batch " +
    "that succeeded, failed or was cancelled already answers 409.",
  tags: ["batches"],
  auth: { role: "editor" },
  params: batchParamsSchema,
  response: batchCancelledSchema,
  handler: ({ db, access, params, actor }) => cancelBatch(db, access, params.batch, actor),
});
