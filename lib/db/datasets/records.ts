// Datasets: named per project; each distinct content is a numbered version holding its examples. The
// records this repository hands out (JSON columns typed) and the sizes it writes and reads in.
import type { Example, Variables } from "@/lib/core/types";
import { readStored } from "@/lib/validation/stored-document";
import { storedNamesSchema } from "@/lib/validation/stored-state";
import type { DatasetVersion } from "../generated/sqlite/client";

export interface ExampleInput {
  /** The id column of the source file, or the row number. Unique within a version. */
  key: string;
  rowNumber: number;
  input: Variables;
  expected: string;
  /** The source row's unmapped columns (web uploads keep them so a download gives the row back). */
  extra?: Variables | null;
}

export interface DatasetVersionInput {
  /** Dataset name, unique per project. */
  name: string;
  /**
   * Names this dataset had before (e.g. "reviews.csv" of earlier CLI releases): when no dataset is named
   * `name`, one with a former name is taken and renamed to `name` rather than a look-alike created.
   */
  formerNames?: string[];
  sourceName: string;
  expectedColumn: string;
  columns: string[];
  /** Hash of the content, computed by the caller (e.g. of the parsed rows). Same hash, same version. */
  contentHash: string;
  examples: ExampleInput[];
}

export interface DatasetVersionRecord {
  id: string;
  datasetId: string;
  version: number;
  contentHash: string;
  sourceName: string;
  rowCount: number;
  columns: string[];
  expectedColumn: string;
  /** The input variable columns; null (CLI versions): every column but the expected and id ones. */
  inputColumns: string[] | null;
  /** The column of the example ids; null: the ids are row numbers. */
  idColumn: string | null;
  /** Split configuration stored with the version, for runs of it. */
  splits: DatasetSplits;
  /** The version this one was edited from; null for uploads. */
  parentVersion: number | null;
  note: string;
  createdAt: Date;
}

export interface DatasetSplits {
  validation: number;
  test: number;
  seed: number;
}

export type ExampleRecord = Example & { rowNumber: number };

/** Rows per INSERT: 6 bound values each, well under SQLite's 32766 and PostgreSQL's 65535. Example ids
 * are random UUIDs (Prisma's cuid() default only applies to its own create calls); ids are opaque. */
export const EXAMPLE_CHUNK = 1000;
/** Writing 100k examples takes seconds; the default interactive-transaction timeout is 5 s. */
export const DATASET_WRITE_TIMEOUT_MS = 10 * 60_000;

/** A stored version row as a record (JSON columns typed). */
export function toRecord(row: DatasetVersion): DatasetVersionRecord {
  return {
    id: row.id,
    datasetId: row.datasetId,
    version: row.version,
    contentHash: row.contentHash,
    sourceName: row.sourceName,
    rowCount: row.rowCount,
    columns: readStored(storedNamesSchema, row.columns, `dataset version ${row.id}: columns`),
    expectedColumn: row.expectedColumn,
    inputColumns:
      row.inputColumns === null
        ? null
        : readStored(storedNamesSchema, row.inputColumns, `dataset version ${row.id}: inputColumns`),
    idColumn: row.idColumn,
    splits: { validation: row.splitValidation, test: row.splitTest, seed: row.splitSeed },
    parentVersion: row.parentVersion,
    note: row.note,
    createdAt: row.createdAt,
  };
}
