// Reading a dataset file (CSV, JSONL or JSON) into examples, streaming, with every problem reported by
// file and row before anything is stored.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { CsvError, CsvParser, type CsvRecord } from "@/lib/core/csv";
import { InputError } from "@/lib/core/errors";
import { JsonArrayError, JsonArrayScanner } from "@/lib/core/json-array";
import { findUnsafeText, printableSegment, unsafeTextReason } from "@/lib/core/text-safety";
import type { Example, Variables } from "@/lib/core/types";

export interface DatasetRow {
  /** 1-based data row (the CSV header is not a row). */
  row: number;
  values: Record<string, unknown>;
}

export interface DatasetMapping {
  expected: string;
  inputs?: string[];
  id?: string;
}

export interface LoadedDataset {
  examples: Example[];
  columns: string[];
  contentHash: string;
}

/** Problems reported at once, so a user can fix a file in one pass. */
const MAX_PROBLEMS = 20;

export type DatasetFormat = "csv" | "jsonl" | "json";

/** The format a file name's extension says (.csv, .jsonl / .ndjson, .json), or null. */
export function datasetFormatOf(name: string): DatasetFormat | null {
  const ext = path.extname(name).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (ext === ".json") return "json";
  return null;
}

function formatOf(file: string): DatasetFormat {
  const format = datasetFormatOf(file);
  if (format) return format;
  throw new InputError(
    `${file}: unsupported dataset format "${path.extname(file) || "(none)"}" (use .csv, .jsonl or .json)`,
  );
}

/** A row that could not be read (wrong field count, not JSON, not an object); reading goes on. */
export interface UnreadableRow {
  row: number;
  line: number;
  problem: string;
}

export type DatasetItem = (DatasetRow & { line: number }) | UnreadableRow;

export interface ReadOptions {
  /** Called with the CSV header before the first row (CSV only: JSON rows name their own keys). */
  onHeader?: (columns: string[]) => void;
}

/** A file that cannot be read any further: the message names the line. */
function fatal(label: string, line: number, reason: string): InputError {
  return new InputError(`${label} line ${line}: ${reason}`, {
    line,
    problems: [{ row: null, line, message: reason }],
    problemCount: 1,
  });
}

async function* csvItems(
  chunks: AsyncIterable<string>,
  label: string,
  options: ReadOptions,
): AsyncGenerator<DatasetItem> {
  const parser = new CsvParser();
  let header: string[] | null = null;
  let row = 0;
  function* take(records: CsvRecord[]): Generator<DatasetItem> {
    for (const record of records) {
      if (!header) {
        header = record.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f).trim());
        const seen = new Set<string>();
        for (const name of header) {
          if (seen.has(name)) throw fatal(label, record.line, `column "${name}" appears twice in the header`);
          const unsafe = unsafeTextReason(name);
          if (unsafe)
            throw fatal(label, record.line, `the name of column "${printableSegment(name)}" ${unsafe}`);
          seen.add(name);
        }
        options.onHeader?.(header);
        continue;
      }
      row++;
      const fields = record.fields;
      if (fields.length !== header.length) {
        yield {
          row,
          line: record.line,
          problem: `expected ${header.length} fields, found ${fields.length}`,
        };
      } else {
        const names = header;
        yield {
          row,
          line: record.line,
          values: Object.fromEntries(names.map((name, i) => [name, fields[i]])),
        };
      }
    }
  }
  try {
    for await (const chunk of chunks) yield* take(parser.push(chunk));
    yield* take(parser.end());
  } catch (error) {
    if (error instanceof CsvError) throw fatal(label, error.line, error.message.replace(/^line \d+: /, ""));
    throw error;
  }
}

/** Lines of text chunks (without their line breaks), numbered from 1; each chunk is scanned once. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let pending: string[] = [];
  let line = 0;
  for await (const chunk of chunks) {
    let from = 0;
    for (let at = chunk.indexOf("\n"); at !== -1; at = chunk.indexOf("\n", from)) {
      pending.push(chunk.slice(from, at));
      yield { line: ++line, text: pending.join("").replace(/\r$/, "") };
      pending = [];
      from = at + 1;
    }
    if (from < chunk.length) pending.push(chunk.slice(from));
  }
  const rest = pending.join("");
  if (rest !== "") yield { line: ++line, text: rest.replace(/\r$/, "") };
}

function objectOrProblem(text: string): { values: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not valid JSON (${(error as Error).message})` };
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { problem: "expected a JSON object" };
  return { values: value as Record<string, unknown> };
}

async function* jsonlItems(chunks: AsyncIterable<string>): AsyncGenerator<DatasetItem> {
  let row = 0;
  for await (const { line, text } of lines(chunks)) {
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (!trimmed.trim()) continue;
    row++;
    yield { row, line, ...objectOrProblem(trimmed) };
  }
}

async function* jsonItems(chunks: AsyncIterable<string>, label: string): AsyncGenerator<DatasetItem> {
  const scanner = new JsonArrayScanner();
  let row = 0;
  try {
    for await (const chunk of chunks) {
      for (const element of scanner.push(chunk)) {
        row++;
        yield { row, line: element.line, ...objectOrProblem(element.text) };
      }
    }
    scanner.end();
  } catch (error) {
    if (error instanceof JsonArrayError)
      throw fatal(label, error.line, error.message.replace(/^line \d+: /, ""));
    throw error;
  }
}

/** A row holding text that cannot be stored (NUL, a lone surrogate) is unreadable: its problem names the column. */
async function* withStorableText(items: AsyncGenerator<DatasetItem>): AsyncGenerator<DatasetItem> {
  for await (const item of items) {
    const unsafe = "problem" in item ? undefined : findUnsafeText(item.values, 1)[0];
    if (!unsafe) {
      yield item;
      continue;
    }
    const [column, ...inside] = unsafe.path.map(printableSegment);
    const problem = unsafe.reason.startsWith("its name ")
      ? `the name of column "${column}" ${unsafe.reason.slice("its name ".length)}`
      : `column "${column}"${inside.length ? ` (at ${inside.join(".")})` : ""} ${unsafe.reason}`;
    yield { row: item.row, line: item.line, problem };
  }
}

/**
 * Streams the rows of dataset text (chunks of a file or an upload) in `format`. Unreadable rows come out
 * as `{ row, line, problem }` and reading goes on — also a row with text that cannot be stored (a NUL
 * character, a lone surrogate), naming its column; a file that cannot be read further (a broken CSV
 * quote, a JSON file that is not an array) throws an InputError naming `label` and the line.
 */
export function readDatasetItems(
  chunks: AsyncIterable<string>,
  format: DatasetFormat,
  label: string,
  options: ReadOptions = {},
): AsyncGenerator<DatasetItem> {
  if (format === "csv") return withStorableText(csvItems(chunks, label, options));
  if (format === "jsonl") return withStorableText(jsonlItems(chunks));
  return withStorableText(jsonItems(chunks, label));
}

/** Streams the rows of a dataset file; the first unreadable row throws, naming the file and row. */
export async function* readDatasetRows(file: string): AsyncGenerator<DatasetRow> {
  const format = formatOf(file);
  try {
    if (!(await stat(file)).isFile()) throw new InputError(`${file}: not a file`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${file}: cannot read the dataset (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const chunks = createReadStream(file, { encoding: "utf8" }) as AsyncIterable<string>;
  for await (const item of readDatasetItems(chunks, format, file)) {
    if ("problem" in item)
      throw new InputError(`${file} row ${item.row} (line ${item.line}): ${item.problem}`);
    yield { row: item.row, values: item.values };
  }
}

export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * Reads and checks a dataset: every row needs a non-empty expected output and a value for every
 * template variable; ids must be unique. All problems (up to 20) are reported together.
 */
export async function loadDataset(
  file: string,
  mapping: DatasetMapping,
  variables: string[],
): Promise<LoadedDataset> {
  const examples: Example[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const columns = new Set<string>();
  const hash = createHash("sha256");
  const problem = (row: number, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`row ${row}: ${message}`);
    else if (problems.length === MAX_PROBLEMS) problems.push("… more problems not shown");
  };
  const inputsFor = (values: Record<string, unknown>) =>
    mapping.inputs ?? Object.keys(values).filter((k) => k !== mapping.expected && k !== mapping.id);

  for await (const { row, values } of readDatasetRows(file)) {
    for (const key of Object.keys(values)) columns.add(key);
    const expected = asText(values[mapping.expected]);
    if (expected === undefined || expected.trim() === "") {
      problem(row, `expected output column "${mapping.expected}" is missing or empty`);
    }
    const input: Variables = {};
    for (const name of inputsFor(values)) {
      const value = asText(values[name]);
      if (value !== undefined) input[name] = value;
    }
    for (const variable of variables) {
      if (input[variable] === undefined || input[variable].trim() === "") {
        problem(row, `template variable "${variable}" is missing or empty`);
      }
    }
    const id = mapping.id ? asText(values[mapping.id]) : String(row);
    if (id === undefined || id === "") problem(row, `id column "${mapping.id}" is missing or empty`);
    else if (seen.has(id)) problem(row, `id "${id}" repeats row ${seen.get(id)}`);
    else seen.set(id, row);
    if (problems.length === 0) {
      const example = { id: id as string, input, expected: expected as string };
      hash.update(JSON.stringify([example.id, example.input, example.expected]));
      hash.update("\n");
      examples.push(example);
    }
  }
  if (problems.length) {
    throw new InputError(`${file}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`, {
      file,
      problems,
    });
  }
  if (examples.length === 0) throw new InputError(`${file}: the dataset has no rows`);
  for (const variable of variables) {
    if (!columns.has(variable))
      throw new InputError(`${file}: no column for template variable "${variable}"`);
  }
  return { examples, columns: [...columns], contentHash: hash.digest("hex") };
}
