import { defineRoute } from "@/lib/http/define-route";
import { downloadDatasetVersion } from "@/lib/services/datasets";
import { datasetVersionParamsSchema, downloadQuerySchema } from "@/lib/validation/datasets";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/datasets/{dataset}/versions/{version}/download",
  summary: "Download a version as CSV or JSONL (streamed)",
  description: "The rows exactly as stored, streamed. CSV cells are safe to open in a spreadsheet.",
  tags: ["datasets"],
  auth: { role: "viewer" },
  params: datasetVersionParamsSchema,
  query: downloadQuerySchema,
  rawResponse: {
    contentTypes: ["text/csv", "application/x-ndjson"],
    description: "The rows with the version's columns: CSV with a header row, or one JSON object per line.",
  },
  handler: async ({ db, access, params, query }) => {
    const file = await downloadDatasetVersion(db, access, params.dataset, params.version, query.format);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  },
});
