import { defineRoute } from "@/lib/http/define-route";
import { downloadRunResults } from "@/lib/services/runs/results";
import { runParamsSchema, runResultsDownloadQuerySchema } from "@/lib/validation/runs";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/runs/{run}/results/download",
  summary: "Download the per-example results as CSV or JSONL (streamed)",
  description:
    "The same rows as …/results, streamed as a file; `view` applies here too. CSV cells are safe " +
    "to open in a spreadsheet.",
  tags: ["runs"],
  auth: { role: "viewer" },
  params: runParamsSchema,
  query: runResultsDownloadQuerySchema,
  rawResponse: {
    contentTypes: ["text/csv", "application/x-ndjson"],
    description:
      "CSV: row, key, input.<variable>…, expected, baseline_output, baseline_score, baseline_error, " +
      "winner_output, winner_score, winner_error, delta. JSONL: one RunResult object per line.",
  },
  handler: async ({ db, access, params, query }) => {
    const file = await downloadRunResults(db, access, params.run, query);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  },
});
