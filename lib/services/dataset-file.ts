// Reading a dataset file (CSV, JSONL or JSON) into examples, streaming, with every problem reported by
// file and row before anything is stored.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { CsvError, CsvParser } from "@/lib/core/csv";
import { InputError } from "@/lib/core/errors";
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

function formatOf(file: string): "csv" | "jsonl" | "json" {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  if (ext === ".json") return "json";
  throw new InputError(
    `${file}: unsupported dataset format "${ext || "(none)"}" (use .csv, .jsonl or .json)`,
  );
}

async function* csvRows(file: string): AsyncGenerator<DatasetRow> {
  const parser = new CsvParser();
  let header: string[] | null = null;
  let row = 0;
  const toRow = (fields: string[], line: number): DatasetRow => {
    if (fields.length !== header!.length) {
      throw new InputError(
        `${file} row ${row} (line ${line}): expected ${header!.length} fields, found ${fields.length}`,
      );
    }
    return { row, values: Object.fromEntries(header!.map((name, i) => [name, fields[i]])) };
  };
  try {
    for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
      for (const record of parser.push(chunk as string)) {
        if (!header) header = record.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f).trim());
        else {
          row++;
          yield toRow(record.fields, record.line);
        }
      }
    }
    for (const record of parser.end()) {
      if (!header) header = record.fields;
      else {
        row++;
        yield toRow(record.fields, record.line);
      }
    }
  } catch (error) {
    if (error instanceof CsvError) throw new InputError(`${file} ${error.message}`);
    throw error;
  }
}

async function* jsonlRows(file: string): AsyncGenerator<DatasetRow> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNumber = 0;
  let row = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    row++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(
        `${file} row ${row} (line ${lineNumber}): not valid JSON (${(error as Error).message})`,
      );
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new InputError(`${file} row ${row} (line ${lineNumber}): expected a JSON object`);
    }
    yield { row, values: value as Record<string, unknown> };
  }
}

async function* jsonRows(file: string): AsyncGenerator<DatasetRow> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new InputError(`${file}: expected a JSON array of objects`);
  for (const [i, value] of data.entries()) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new InputError(`${file} row ${i + 1}: expected a JSON object`);
    }
    yield { row: i + 1, values: value as Record<string, unknown> };
  }
}

/** Streams the rows of a dataset file. */
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
  if (format === "csv") yield* csvRows(file);
  else if (format === "jsonl") yield* jsonlRows(file);
  else yield* jsonRows(file);
}

function asText(value: unknown): string | undefined {
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
