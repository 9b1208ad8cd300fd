// The web app's datasets, read: lists, versions, pages of examples (writes: web-versions.ts, edits.ts).
import type { Variables } from "@/lib/core/types";
import { readStored } from "@/lib/validation/stored-document";
import { storedVariablesSchema } from "@/lib/validation/stored-state";
import type { Db, Tx } from "../client";
import type { Prisma } from "../generated/sqlite/client";
import { type DatasetVersionRecord, EXAMPLE_CHUNK, type ExampleRecord, toRecord } from "./records";

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
    input: readStored(storedVariablesSchema, row.input, `example ${row.key}: input`),
    expected: row.expected,
    extra:
      row.extra === null ? null : readStored(storedVariablesSchema, row.extra, `example ${row.key}: extra`),
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
  batch = EXAMPLE_CHUNK,
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
