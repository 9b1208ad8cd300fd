import { defineRoute } from "@/lib/http/define-route";
import { pageBatchRows } from "@/lib/services/batches";
import { batchRowPageSchema, batchRowsQuerySchema } from "@/lib/validation/batches";
import { idSchema } from "@/lib/validation/common";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

const batchParamsSchema = projectParamsSchema.extend({ batch: idSchema.meta({ description: "Batch id." }) });

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/batches/{batch}/rows",
  summary: "Page through a batch's rows in source order: input, output or error, usage",
  description:
    "`view` picks all rows, finished ones or failed ones. Page with `cursor` (up to 500 rows a page).",
  tags: ["batches"],
  auth: { role: "viewer" },
  params: batchParamsSchema,
  query: batchRowsQuerySchema,
  response: batchRowPageSchema,
  handler: ({ db, access, params, query }) => pageBatchRows(db, access, params.batch, query),
});
