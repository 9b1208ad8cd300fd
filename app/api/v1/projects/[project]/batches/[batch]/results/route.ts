import { defineRoute } from "@/lib/http/define-route";
import { downloadBatchResults } from "@/lib/services/batches";
import { batchDownloadQuerySchema } from "@/lib/validation/batches";
import { idSchema } from "@/lib/validation/common";
import { projectParamsSchema } from "@/lib/validation/projects";

export const dynamic = "force-dynamic";

const batchParamsSchema = projectParamsSchema.extend({ batch: idSchema.meta({ description: "Batch id." }) });

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/batches/{batch}/results",
  summary: "Download a batch's results as JSONL or CSV (streamed)",
  description:
    "One line per row in source order, with its input, output or error and token usage. Streamed, " +
    "so large batches download without being held in memory; CSV cells are safe to open in a " +
    "spreadsheet.",
  tags: ["batches"],
  auth: { role: "viewer" },
  params: batchParamsSchema,
  query: batchDownloadQuerySchema,
  rawResponse: {
    contentTypes: ["application/x-ndjson", "text/csv"],
    description:
      "One record per row in source order: the row number, key, input variables, output, error and usage. " +
      "JSONL: one JSON object per line; CSV: a header row, then one line per row.",
  },
  handler: async ({ db, access, params, query }) => {
    const file = await downloadBatchResults(db, access, params.batch, query.format);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  },
});
