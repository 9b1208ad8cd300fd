// A batch's results as a file, streamed from the database row by row (never all in memory): JSONL or
// CSV, for the API's download and the CLI's --out.
import type { ProjectAccess } from "@/lib/auth/principal";
import { csvLine } from "@/lib/core/csv";
import { type BatchRecord, type Db, iterateBatchRows } from "@/lib/db";
import { type FileDownload, fileDownload, safeFileName } from "../file-download";
import { requireBatch } from "./reads";

/** Result column names that do not collide with the batch's input columns. */
function resultColumns(columns: string[]): { status: string; output: string; error: string } {
  const taken = new Set(["row", "key", ...columns]);
  const free = (name: string) => {
    let candidate = name;
    while (taken.has(candidate)) candidate = `${candidate}_result`;
    taken.add(candidate);
    return candidate;
  };
  return { status: free("status"), output: free("output"), error: free("error") };
}

const DOWNLOAD_BATCH = 500;

/**
 * The results of a batch as text chunks, row by row from the database (never all in memory): JSONL
 * (one object per row: row, key, input, status, output, error, usage) or CSV (row, key, the input
 * columns, status, output, error). Rows not done yet are included with status "pending".
 */
export async function* batchResultText(
  db: Db,
  batch: Pick<BatchRecord, "id" | "columns">,
  format: "csv" | "jsonl",
): AsyncGenerator<string> {
  const names = resultColumns(batch.columns);
  if (format === "csv")
    yield csvLine(["row", "key", ...batch.columns, names.status, names.output, names.error]);
  let text = "";
  let rows = 0;
  for await (const row of iterateBatchRows(db, batch.id, DOWNLOAD_BATCH)) {
    if (format === "csv") {
      text += csvLine([
        String(row.rowNumber),
        row.key,
        ...batch.columns.map((c) => row.input[c] ?? ""),
        row.status,
        row.output ?? "",
        row.error ?? "",
      ]);
    } else {
      text += `${JSON.stringify({
        row: row.rowNumber,
        key: row.key,
        input: row.input,
        status: row.status,
        output: row.output,
        error: row.error,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        costUsd: row.costUsd,
        latencyMs: row.latencyMs,
        cached: row.cached,
      })}\n`;
    }
    if (++rows % DOWNLOAD_BATCH === 0) {
      yield text;
      text = "";
    }
  }
  if (text) yield text;
}

/** The results as a streamed file (CSV or JSONL; see `batchResultText`). */
export async function downloadBatchResults(
  db: Db,
  access: ProjectAccess,
  id: string,
  format: "csv" | "jsonl",
): Promise<FileDownload> {
  const batch = await requireBatch(db, access, id);
  const name = `${safeFileName(batch.taskName, "batch")}-v${batch.promptVersion}-batch-${batch.id}.${format}`;
  return fileDownload(batchResultText(db, batch, format), format, name);
}
