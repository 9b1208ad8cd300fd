import { defineRoute } from "@/lib/http/define-route";
import { getBatch } from "@/lib/services/batches";
import { batchDetailSchema } from "@/lib/validation/batches";
import { idSchema } from "@/lib/validation/common";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

const batchParamsSchema = projectParamsSchema.extend({ batch: idSchema.meta({ description: "Batch id." }) });

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/batches/{batch}",
  summary: "Get a batch: spec, status, counters and progress, skipped rows",
  description:
    "Poll it to follow a running batch: the counters and the progress change as rows finish; rows " +
    "that could not be run are listed as skipped.",
  tags: ["batches"],
  auth: { role: "viewer" },
  params: batchParamsSchema,
  response: batchDetailSchema,
  handler: ({ db, access, params }) => getBatch(db, access, params.batch),
});
