// Reading the rows of a new batch in, as they are stored: a file on disk (an upload spooled, or the CLI's
// input) parsed as it is read, or a dataset version's examples. Every template variable of the prompt
// must be present and non-empty in every row; a row that lacks one, or does not parse, is malformed —
// policy "stop" refuses the batch (naming the file and row; nothing is stored), "skip" records it.
import { InputError } from "@/lib/core/errors";
import type { Variables } from "@/lib/core/types";
import { type BatchItem, iterateExamples, type Tx } from "@/lib/db";
import type { MalformedPolicy } from "@/lib/validation/batches";
import type { ErrorDetails } from "@/lib/validation/common";
import { asText, type DatasetFormat, readDatasetItems } from "../dataset-file";
import { textOf } from "../dataset-upload";
import { heapBudget } from "../heap-budget";

/** Where the rows of a new batch come from. */
export type BatchRowsSource =
  | { kind: "dataset"; datasetVersionId: string }
  /** A file on disk (an upload spooled, or the CLI's input); `label` names it in messages. */
  | { kind: "file"; path: string; format: "csv" | "jsonl"; label: string };

const missingVariables = (input: Variables, variables: string[]) =>
  variables.filter((v) => input[v] === undefined || input[v].trim() === "");

function describeMissing(missing: string[]): string {
  const names = missing.map((v) => `"${v}"`).join(", ");
  return `template variable${missing.length > 1 ? "s" : ""} ${names} ${missing.length > 1 ? "are" : "is"} missing or empty`;
}

/**
 * A malformed row: under "skip" an issue to record, under "stop" the error that refuses the batch
 * (naming the source and row; nothing is stored).
 */
function malformed(
  policy: MalformedPolicy,
  label: string,
  row: number,
  line: number | null,
  message: string,
): BatchItem {
  const where = `${label} row ${row}${line !== null ? ` (line ${line})` : ""}`;
  if (policy === "stop") {
    throw new InputError(
      `${where}: ${message}; nothing was stored (onMalformedRow is "stop": fix the row, or use "skip" to leave malformed rows out)`,
      { issues: [], row, line, problems: [{ row, line, message }] } satisfies ErrorDetails,
    );
  }
  return { kind: "issue", rowNumber: row, line, message };
}

/** The rows of a file, checked as they are read; `columns` receives its header (or JSONL keys). */
export async function* fileItems(
  source: Extract<BatchRowsSource, { kind: "file" }>,
  variables: string[],
  policy: MalformedPolicy,
  columns: string[],
): AsyncGenerator<BatchItem> {
  const known = new Set<string>();
  const onHeader = (header: string[]) => {
    columns.push(...header);
    const absent = variables.filter((v) => !header.includes(v));
    if (absent.length > 0) {
      const names = absent.map((v) => `"${v}"`).join(", ");
      const message = `no column for template variable${absent.length > 1 ? "s" : ""} ${names} (its columns: ${header.map((c) => `"${c}"`).join(", ")})`;
      throw new InputError(`${source.label}: ${message}; nothing was stored`, {
        issues: [],
        problems: [{ row: null, line: 1, message }],
      } satisfies ErrorDetails);
    }
  };
  const format: DatasetFormat = source.format;
  const paceHeap = heapBudget();
  for await (const item of readDatasetItems(textOf(source.path, source.label), format, source.label, {
    onHeader,
  })) {
    if (item.row % 256 === 0) paceHeap();
    if ("problem" in item) {
      yield malformed(policy, source.label, item.row, item.line, item.problem);
      continue;
    }
    const input: Variables = {};
    for (const [name, raw] of Object.entries(item.values)) {
      const value = asText(raw);
      if (value !== undefined) input[name] = value;
      if (format !== "csv" && !known.has(name)) {
        known.add(name);
        columns.push(name);
      }
    }
    const missing = missingVariables(input, variables);
    if (missing.length > 0)
      yield malformed(policy, source.label, item.row, item.line, describeMissing(missing));
    else yield { kind: "row", rowNumber: item.row, key: String(item.row), input };
  }
}

/** The examples of a dataset version as batch rows, checked as they are read (inside the writing transaction). */
export async function* datasetItems(
  tx: Tx,
  datasetVersionId: string,
  label: string,
  variables: string[],
  policy: MalformedPolicy,
): AsyncGenerator<BatchItem> {
  const paceHeap = heapBudget();
  for await (const example of iterateExamples(tx, datasetVersionId, 500)) {
    if (example.rowNumber % 256 === 0) paceHeap();
    const missing = missingVariables(example.input, variables);
    if (missing.length > 0) yield malformed(policy, label, example.rowNumber, null, describeMissing(missing));
    else yield { kind: "row", rowNumber: example.rowNumber, key: example.id, input: example.input };
  }
}
