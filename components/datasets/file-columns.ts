// Reads the columns of a dataset file in the browser, from its first 256 KB only, to offer the column
// mapping before anything is uploaded: the CSV header, or the keys of the first JSONL / JSON objects.
import { CsvParser } from "@/lib/core/csv";
import { JsonArrayScanner } from "@/lib/core/json-array";

export type FileFormat = "csv" | "jsonl" | "json";

const HEAD_BYTES = 256 * 1024;
const SAMPLE_ROWS = 20;

export function formatOfName(name: string): FileFormat | null {
  const ext = name.toLowerCase().split(".").pop();
  if (ext === "csv") return "csv";
  if (ext === "jsonl" || ext === "ndjson") return "jsonl";
  if (ext === "json") return "json";
  return null;
}

function addKeys(columns: string[], value: unknown) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  for (const key of Object.keys(value)) if (!columns.includes(key)) columns.push(key);
}

/** The columns the file's first rows name (empty when none can be read: the server reports why). */
export async function readFileColumns(file: File, format: FileFormat): Promise<string[]> {
  const head = await file.slice(0, HEAD_BYTES).text();
  const columns: string[] = [];
  if (format === "csv") {
    const parser = new CsvParser();
    try {
      const [first] = parser.push(head.includes("\n") ? head : `${head}\n`);
      for (const [i, name] of (first?.fields ?? []).entries())
        columns.push((i === 0 ? name.replace(/^\uFEFF/, "") : name).trim());
    } catch {}
    return columns;
  }
  if (format === "jsonl") {
    for (const line of head.split("\n").slice(0, SAMPLE_ROWS + 1)) {
      try {
        addKeys(columns, JSON.parse(line.replace(/^\uFEFF/, "")));
      } catch {}
    }
    return columns;
  }
  try {
    const elements = new JsonArrayScanner().push(head).slice(0, SAMPLE_ROWS);
    for (const element of elements) {
      try {
        addKeys(columns, JSON.parse(element.text));
      } catch {}
    }
  } catch {}
  return columns;
}

/** A likely expected-output column: "expected", "label", "output", "answer", …, else the last one. */
export function guessExpected(columns: string[]): string {
  for (const name of ["expected", "expected_output", "label", "output", "answer", "target"]) {
    const found = columns.find((c) => c.toLowerCase() === name);
    if (found) return found;
  }
  return columns[columns.length - 1] ?? "";
}

/** A likely id column ("id", "example_id", "uuid"), else none. */
export function guessId(columns: string[]): string {
  return columns.find((c) => ["id", "example_id", "uuid"].includes(c.toLowerCase())) ?? "";
}
