// Datasets: named per project; each distinct content is a numbered version holding its examples.
import { randomUUID } from "node:crypto";
import type { Example, Variables } from "@/lib/core/types";
import type { Db, Tx } from "./client";
import { type DatasetVersion, Prisma } from "./generated/sqlite/client";
import { json, retryOnUniqueViolation } from "./util";

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
const CHUNK = EXAMPLE_CHUNK;
/** Writing 100k examples takes seconds; the default interactive-transaction timeout is 5 s. */
export const DATASET_WRITE_TIMEOUT_MS = 10 * 60_000;
const WRITE_TIMEOUT_MS = DATASET_WRITE_TIMEOUT_MS;

/** A stored version row as a record (JSON columns typed). */
export function toRecord(row: DatasetVersion): DatasetVersionRecord {
  return {
    id: row.id,
    datasetId: row.datasetId,
    version: row.version,
    contentHash: row.contentHash,
    sourceName: row.sourceName,
    rowCount: row.rowCount,
    columns: row.columns as string[],
    expectedColumn: row.expectedColumn,
    inputColumns: (row.inputColumns as string[] | null) ?? null,
    idColumn: row.idColumn,
    splits: { validation: row.splitValidation, test: row.splitTest, seed: row.splitSeed },
    parentVersion: row.parentVersion,
    note: row.note,
    createdAt: row.createdAt,
  };
}

/**
 * The version of dataset `name` with this contentHash, or a new version (max + 1) with all its
 * examples. All or nothing: the dataset, the version and every example are written in one transaction.
 */
export async function findOrCreateDatasetVersion(
  db: Db,
  projectId: string,
  input: DatasetVersionInput,
): Promise<{ datasetVersion: DatasetVersionRecord; created: boolean }> {
  const seen = new Set<string>();
  for (const e of input.examples) {
    if (seen.has(e.key)) throw new Error(`dataset "${input.name}": duplicate example id "${e.key}"`);
    seen.add(e.key);
  }
  return retryOnUniqueViolation(() =>
    db.$transaction(
      async (tx) => {
        // Writing the dataset row locks it: concurrent writers of the same dataset queue here.
        const dataset = await tx.dataset.upsert({
          where: { projectId_name: { projectId, name: input.name } },
          create: { projectId, name: input.name },
          update: { updatedAt: new Date() },
        });
        const same = await tx.datasetVersion.findFirst({
          where: { datasetId: dataset.id, contentHash: input.contentHash },
          orderBy: { version: "desc" },
        });
        if (same) return { datasetVersion: toRecord(same), created: false };
        const last = await tx.datasetVersion.aggregate({
          where: { datasetId: dataset.id },
          _max: { version: true },
        });
        const version = await tx.datasetVersion.create({
          data: {
            datasetId: dataset.id,
            version: (last._max.version ?? 0) + 1,
            contentHash: input.contentHash,
            sourceName: input.sourceName,
            rowCount: input.examples.length,
            columns: json(input.columns),
            expectedColumn: input.expectedColumn,
          },
        });
        // Multi-row INSERTs: ~6x faster than createMany (100k rows in ~3 s instead of ~18 s). Prisma.sql
        // renders the placeholders of the connected database (? for SQLite, $n for PostgreSQL).
        for (let i = 0; i < input.examples.length; i += CHUNK) {
          const rows = input.examples
            .slice(i, i + CHUNK)
            .map(
              (e) =>
                Prisma.sql`(${randomUUID()}, ${version.id}, ${e.key}, ${e.rowNumber}, ${JSON.stringify(e.input)}, ${e.expected})`,
            );
          await tx.$executeRaw`INSERT INTO "Example" ("id", "datasetVersionId", "key", "rowNumber", "input", "expected") VALUES ${Prisma.join(rows)}`;
        }
        return { datasetVersion: toRecord(version), created: true };
      },
      { timeout: WRITE_TIMEOUT_MS, maxWait: 60_000 },
    ),
  );
}

export async function getDatasetVersion(db: Db, id: string): Promise<DatasetVersionRecord | null> {
  const row = await db.datasetVersion.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}

/** The examples of a version in file order, as the core's `Example` (id = key) plus rowNumber. */
export async function listExamples(db: Db, datasetVersionId: string): Promise<ExampleRecord[]> {
  const rows = await db.example.findMany({
    where: { datasetVersionId },
    orderBy: { rowNumber: "asc" },
    select: { key: true, input: true, expected: true, rowNumber: true },
  });
  return rows.map((r) => ({
    id: r.key,
    input: r.input as Variables,
    expected: r.expected,
    rowNumber: r.rowNumber,
  }));
}

/** A dataset version with its dataset's name, only when the dataset belongs to `projectId`. */
export async function getProjectDatasetVersion(
  db: Db,
  projectId: string,
  id: string,
): Promise<(DatasetVersionRecord & { datasetName: string }) | null> {
  const row = await db.datasetVersion.findFirst({
    where: { id, dataset: { projectId } },
    include: { dataset: { select: { name: true } } },
  });
  return row ? { ...toRecord(row), datasetName: row.dataset.name } : null;
}

// ---------------------------------------------------------------------------------------------------
// The web app's datasets: lists, versions, pages of examples (writes: dataset-writes.ts).

export interface DatasetListItem {
  id: string;
  projectId: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  versionCount: number;
  latest: DatasetVersionDetail | null;
}

export type DatasetVersionDetail = DatasetVersionRecord & { runCount: number };

export type StoredExample = ExampleRecord & { extra: Variables | null };

async function summaries(db: Db, where: Prisma.DatasetWhereInput): Promise<DatasetListItem[]> {
  const rows = await db.dataset.findMany({
    where,
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    include: {
      versions: { orderBy: { version: "desc" }, take: 1, include: { _count: { select: { runs: true } } } },
      _count: { select: { versions: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    versionCount: row._count.versions,
    latest: row.versions[0] ? { ...toRecord(row.versions[0]), runCount: row.versions[0]._count.runs } : null,
  }));
}

/** The project's datasets, most recently changed first, each with its latest version. */
export function listDatasets(db: Db, projectId: string): Promise<DatasetListItem[]> {
  return summaries(db, { projectId });
}

/** A dataset of the project by id, else by name. */
export async function findDataset(db: Db, projectId: string, ref: string): Promise<DatasetListItem | null> {
  const [byId] = await summaries(db, { projectId, id: ref });
  if (byId) return byId;
  const [byName] = await summaries(db, { projectId, name: ref });
  return byName ?? null;
}

/** The versions of a dataset, newest first, with how many runs used each. */
export async function listDatasetVersions(db: Db, datasetId: string): Promise<DatasetVersionDetail[]> {
  const rows = await db.datasetVersion.findMany({
    where: { datasetId },
    orderBy: { version: "desc" },
    include: { _count: { select: { runs: true } } },
  });
  return rows.map((row) => ({ ...toRecord(row), runCount: row._count.runs }));
}

export async function findDatasetVersion(
  db: Db,
  datasetId: string,
  version: number,
): Promise<DatasetVersionDetail | null> {
  const row = await db.datasetVersion.findUnique({
    where: { datasetId_version: { datasetId, version } },
    include: { _count: { select: { runs: true } } },
  });
  return row ? { ...toRecord(row), runCount: row._count.runs } : null;
}

function toStored(row: {
  key: string;
  rowNumber: number;
  input: unknown;
  expected: string;
  extra: unknown;
}): StoredExample {
  return {
    id: row.key,
    rowNumber: row.rowNumber,
    input: row.input as Variables,
    expected: row.expected,
    extra: (row.extra as Variables | null) ?? null,
  };
}

const EXAMPLE_SELECT = { key: true, rowNumber: true, input: true, expected: true, extra: true } as const;

/** One page of a version's examples in file order, after row `afterRow`. */
export async function listExamplesPage(
  db: Db,
  datasetVersionId: string,
  query: { afterRow: number | null; limit: number },
): Promise<{ items: StoredExample[]; nextAfterRow: number | null }> {
  const rows = await db.example.findMany({
    where: { datasetVersionId, ...(query.afterRow !== null ? { rowNumber: { gt: query.afterRow } } : {}) },
    orderBy: { rowNumber: "asc" },
    take: query.limit + 1,
    select: EXAMPLE_SELECT,
  });
  const items = rows.slice(0, query.limit).map(toStored);
  const last = items[items.length - 1];
  return { items, nextAfterRow: rows.length > query.limit && last ? last.rowNumber : null };
}

/** Every example of a version in file order, read `batch` rows at a time (for downloads and edits). */
export async function* iterateExamples(
  db: Db | Tx,
  datasetVersionId: string,
  batch = CHUNK,
): AsyncGenerator<StoredExample> {
  let after = 0;
  for (;;) {
    const rows = await db.example.findMany({
      where: { datasetVersionId, rowNumber: { gt: after } },
      orderBy: { rowNumber: "asc" },
      take: batch,
      select: EXAMPLE_SELECT,
    });
    for (const row of rows) yield toStored(row);
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.rowNumber;
  }
}
