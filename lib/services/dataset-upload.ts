// Dataset uploads from the web: the request body is streamed to a temporary file (counting bytes: 413
// past STROP_MAX_UPLOAD_BYTES, whatever Content-Length said), checked row by row from that file
// (problems are collected, up to MAX_PROBLEMS, with row and line), and only a clean file is written, in
// one transaction, reading the file a second time. Memory stays flat: neither the file nor its rows
// are ever held whole.
import { createReadStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InputError, PayloadTooLargeError } from "@/lib/core/errors";
import type { Variables } from "@/lib/core/types";
import { DatasetHasher, type DatasetSplits, type ExampleInput } from "@/lib/db";
import type { DatasetFormatName } from "@/lib/validation/datasets";
import { asText, type DatasetFormat, datasetFormatOf, readDatasetItems } from "./dataset-file";

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Problems listed in a report (all are counted). */
export const MAX_PROBLEMS = 100;

/** STROP_MAX_UPLOAD_BYTES (a positive integer), else 50 MB. */
export function maxUploadBytes(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.STROP_MAX_UPLOAD_BYTES);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_UPLOAD_BYTES;
}

export interface DatasetProblem {
  /** 1-based data row (null: the file as a whole). */
  row: number | null;
  /** 1-based line of the file where the row starts. */
  line: number | null;
  message: string;
}

export interface ColumnMapping {
  expected: string;
  /** null: every column but expected and id. */
  inputs: string[] | null;
  id: string | null;
}

/** What a clean file holds, from the checking pass. */
export interface CheckedFile {
  rowCount: number;
  columns: string[];
  inputColumns: string[];
  contentHash: string;
}

const CONTENT_TYPES: Record<string, DatasetFormat> = {
  "text/csv": "csv",
  "application/csv": "csv",
  "application/x-ndjson": "jsonl",
  "application/jsonl": "jsonl",
  "application/x-jsonlines": "jsonl",
  "application/json": "json",
};

/** The format: as asked, else the file name's extension, else the Content-Type. */
export function uploadFormat(
  asked: DatasetFormatName | undefined,
  filename: string | undefined,
  contentType: string | null,
): DatasetFormat {
  const byName = filename ? datasetFormatOf(filename) : null;
  const byType = CONTENT_TYPES[(contentType ?? "").split(";")[0]!.trim().toLowerCase()];
  const format = asked ?? byName ?? byType;
  if (!format) {
    throw new InputError(
      "Say the file's format: ?format=csv|jsonl|json, or a filename ending in .csv, .jsonl or .json",
      {
        issues: [{ in: "query", path: "format", message: "give the format (csv, jsonl or json)" }],
      },
    );
  }
  return format;
}

export function checkMapping(mapping: ColumnMapping): void {
  const issues: { in: "query"; path: string; message: string }[] = [];
  if (mapping.id !== null && mapping.id === mapping.expected)
    issues.push({ in: "query", path: "id", message: "the id column cannot be the expected output column" });
  for (const [i, name] of (mapping.inputs ?? []).entries()) {
    if (name === mapping.expected || name === mapping.id)
      issues.push({
        in: "query",
        path: `inputs.${i}`,
        message: `"${name}" is already the expected or id column`,
      });
    else if (mapping.inputs!.indexOf(name) !== i)
      issues.push({ in: "query", path: `inputs.${i}`, message: `"${name}" is listed twice` });
  }
  if (issues.length)
    throw new InputError(`Invalid query.${issues[0]!.path}: ${issues[0]!.message}`, { issues });
}

/**
 * Streams `body` into a new temporary directory's file, at most `limit` bytes (else 413: the file and
 * directory are removed). Returns the file; the caller removes `dir` when done.
 */
export async function spoolUpload(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ dir: string; file: string; bytes: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "strop-upload-"));
  const file = path.join(dir, "upload");
  let bytes = 0;
  try {
    const handle = await open(file, "w");
    try {
      if (body) {
        const reader = body.getReader();
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch {
            throw new InputError("The upload was interrupted before the end of the file.");
          }
          if (chunk.done) break;
          bytes += chunk.value.byteLength;
          if (bytes > limit) {
            await reader.cancel().catch(() => {});
            throw new PayloadTooLargeError(limit);
          }
          await handle.write(chunk.value);
        }
      }
    } finally {
      await handle.close();
    }
    if (bytes === 0) throw new InputError("The file is empty: send its content as the request body.");
    return { dir, file, bytes };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The file as UTF-8 text chunks; other encodings are refused. */
export async function* textOf(file: string, label: string): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const bytes of createReadStream(file, { highWaterMark: 256 * 1024 }))
      yield decoder.decode(bytes as Buffer, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (error) {
    if (error instanceof TypeError)
      throw new InputError(`${label}: not UTF-8 text; save the file as UTF-8 and upload it again`);
    throw error;
  }
}

interface MappedRow {
  example?: ExampleInput;
  problems: string[];
}

function mapRow(row: number, values: Record<string, unknown>, mapping: ColumnMapping): MappedRow {
  const problems: string[] = [];
  const expected = asText(values[mapping.expected]);
  if (expected === undefined || expected.trim() === "")
    problems.push(`expected output column "${mapping.expected}" is missing or empty`);
  const key = mapping.id !== null ? asText(values[mapping.id]) : String(row);
  if (key === undefined || key.trim() === "") problems.push(`id column "${mapping.id}" is missing or empty`);
  const input: Variables = {};
  const extra: Variables = {};
  if (mapping.inputs) {
    for (const name of mapping.inputs) {
      const value = asText(values[name]);
      if (value === undefined) problems.push(`input column "${name}" is missing`);
      else input[name] = value;
    }
  }
  for (const [name, raw] of Object.entries(values)) {
    if (name === mapping.expected || name === mapping.id || mapping.inputs?.includes(name)) continue;
    const value = asText(raw);
    if (value === undefined) continue;
    if (mapping.inputs) extra[name] = value;
    else input[name] = value;
  }
  if (problems.length) return { problems };
  const hasExtra = Object.keys(extra).length > 0;
  return {
    problems,
    example: { key: key!, rowNumber: row, input, expected: expected!, extra: hasExtra ? extra : null },
  };
}

function mappingProblem(mapping: ColumnMapping, columns: string[]): string | null {
  const wanted = [mapping.expected, ...(mapping.id !== null ? [mapping.id] : []), ...(mapping.inputs ?? [])];
  const absent = wanted.filter((c) => !columns.includes(c));
  if (!absent.length) return null;
  const names = absent.map((c) => `"${c}"`).join(", ");
  return `${absent.length === 1 ? "column" : "columns"} ${names} not in the file (its columns: ${columns.map((c) => `"${c}"`).join(", ")})`;
}

/**
 * The checking pass: reads every row, collects problems (row, line, message) and computes what a
 * clean file holds. Throws an InputError with `details.problems` when there is any problem.
 */
export async function checkDatasetFile(
  file: string,
  format: DatasetFormat,
  label: string,
  mapping: ColumnMapping,
  splits: DatasetSplits,
): Promise<CheckedFile> {
  const problems: DatasetProblem[] = [];
  let problemCount = 0;
  const report = (problem: DatasetProblem) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const seen = new Map<string, number>();
  const columns: string[] = [];
  const known = new Set<string>();
  const hasher = new DatasetHasher();
  let rowCount = 0;
  const onHeader = (header: string[]) => {
    columns.push(...header);
    const problem = mappingProblem(mapping, header);
    if (problem)
      throw new InputError(`${label}: ${problem}`, {
        problems: [{ row: null, line: 1, message: problem }],
        problemCount: 1,
      });
  };
  for await (const item of readDatasetItems(textOf(file, label), format, label, { onHeader })) {
    rowCount++;
    if ("problem" in item) {
      report({ row: item.row, line: item.line, message: item.problem });
      continue;
    }
    if (format !== "csv") {
      for (const name of Object.keys(item.values)) {
        if (!known.has(name)) {
          known.add(name);
          columns.push(name);
        }
      }
    }
    const mapped = mapRow(item.row, item.values, mapping);
    for (const message of mapped.problems) report({ row: item.row, line: item.line, message });
    const example = mapped.example;
    if (!example) continue;
    const first = seen.get(example.key);
    if (first !== undefined) {
      report({ row: item.row, line: item.line, message: `id "${example.key}" repeats row ${first}` });
      continue;
    }
    seen.set(example.key, item.row);
    hasher.add(example);
  }
  if (rowCount === 0) {
    throw new InputError(`${label}: the file has no rows`, {
      problems: [{ row: null, line: null, message: "the file has no rows" }],
      problemCount: 1,
    });
  }
  if (format !== "csv") {
    const problem = mappingProblem(mapping, columns);
    if (problem) report({ row: null, line: null, message: problem });
  }
  if (problemCount > 0) {
    const shown = problems
      .slice(0, 10)
      .map(
        (p) =>
          (p.row !== null ? `row ${p.row}${p.line !== null ? ` (line ${p.line})` : ""}: ` : "") + p.message,
      );
    if (problemCount > shown.length) shown.push(`… ${problemCount - shown.length} more`);
    throw new InputError(
      `${label}: ${problemCount} problem(s); nothing was stored\n  ${shown.join("\n  ")}`,
      { problems, problemCount, truncated: problemCount > problems.length },
    );
  }
  const inputColumns = mapping.inputs ?? columns.filter((c) => c !== mapping.expected && c !== mapping.id);
  const contentHash = hasher.digest({
    columns,
    expectedColumn: mapping.expected,
    inputColumns,
    idColumn: mapping.id,
    splits,
  });
  return { rowCount, columns, inputColumns, contentHash };
}

/** The writing pass: the examples of a file that `checkDatasetFile` found clean, in file order. */
export async function* examplesOf(
  file: string,
  format: DatasetFormat,
  label: string,
  mapping: ColumnMapping,
): AsyncGenerator<ExampleInput> {
  for await (const item of readDatasetItems(textOf(file, label), format, label)) {
    const example = "problem" in item ? undefined : mapRow(item.row, item.values, mapping).example;
    // The file was checked and has not changed since: this cannot happen.
    if (!example) throw new Error(`${label} row ${item.row}: changed between checking and writing`);
    yield example;
  }
}
