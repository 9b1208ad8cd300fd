// Datasets of a project: list, read (with versions), upload (a new dataset or a new version), preview
// pages, downloads, edits (which derive a new version; the old one stays), deletion.
import { rm } from "node:fs/promises";
import type { ProjectAccess } from "@/lib/auth/principal";
import { csvLine } from "@/lib/core/csv";
import { ConflictError, InputError, NotFoundError, PayloadTooLargeError } from "@/lib/core/errors";
import {
  type AuditActor,
  type DatasetListItem,
  type DatasetSplits,
  type DatasetVersionDetail,
  type DatasetVersionRecord,
  type Db,
  deleteDataset,
  editDatasetVersion,
  findDataset,
  findDatasetVersion,
  iterateExamples,
  listDatasets,
  listDatasetVersions,
  listExamplesPage,
  type StoredExample,
  writeDatasetVersion,
} from "@/lib/db";
import type { EditExamplesBody, UploadQuery } from "@/lib/validation/datasets";
import {
  type ColumnMapping,
  checkDatasetFile,
  checkMapping,
  examplesOf,
  maxUploadBytes,
  spoolUpload,
  uploadFormat,
} from "./dataset-upload";
import { type FileDownload, fileDownload, safeFileName } from "./file-download";
import { requireActiveProject } from "./projects";

export const DEFAULT_SPLITS: DatasetSplits = { validation: 0.25, test: 0.25, seed: 42 };

/** Rows per split as runs will cut them (lib/core/splits); null when they cannot be split. */
export function splitCounts(rowCount: number, splits: DatasetSplits) {
  if (rowCount < 3) return null;
  const test = Math.max(1, Math.round(rowCount * splits.test));
  const validation = Math.max(1, Math.round(rowCount * splits.validation));
  const train = rowCount - test - validation;
  return train > 0 ? { train, validation, test } : null;
}

function inputColumnsOf(v: DatasetVersionRecord): string[] {
  return v.inputColumns ?? v.columns.filter((c) => c !== v.expectedColumn && c !== v.idColumn);
}

export function datasetVersionView(v: DatasetVersionRecord & { runCount?: number }) {
  return {
    id: v.id,
    datasetId: v.datasetId,
    version: v.version,
    sourceName: v.sourceName,
    rowCount: v.rowCount,
    columns: v.columns,
    expectedColumn: v.expectedColumn,
    inputColumns: inputColumnsOf(v),
    idColumn: v.idColumn,
    splits: { ...v.splits, counts: splitCounts(v.rowCount, v.splits) },
    parentVersion: v.parentVersion,
    note: v.note,
    contentHash: v.contentHash,
    runCount: v.runCount ?? 0,
    createdAt: v.createdAt,
  };
}

export type DatasetVersionView = ReturnType<typeof datasetVersionView>;

function datasetView(d: DatasetListItem) {
  return {
    id: d.id,
    name: d.name,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    versionCount: d.versionCount,
    latestVersion: d.latest ? datasetVersionView(d.latest) : null,
  };
}

export type DatasetView = ReturnType<typeof datasetView>;

export async function listProjectDatasets(db: Db, access: ProjectAccess): Promise<DatasetView[]> {
  return (await listDatasets(db, access.project.id)).map(datasetView);
}

async function requireDataset(db: Db, access: ProjectAccess, ref: string): Promise<DatasetListItem> {
  const dataset = await findDataset(db, access.project.id, ref);
  if (!dataset) throw new NotFoundError(`no dataset "${ref}" in this project`);
  return dataset;
}

async function requireVersion(
  db: Db,
  access: ProjectAccess,
  ref: string,
  version: number,
): Promise<{ dataset: DatasetListItem; version: DatasetVersionDetail }> {
  const dataset = await requireDataset(db, access, ref);
  const found = await findDatasetVersion(db, dataset.id, version);
  if (!found) throw new NotFoundError(`dataset "${dataset.name}" has no version ${version}`);
  return { dataset, version: found };
}

export async function getProjectDataset(db: Db, access: ProjectAccess, ref: string) {
  const dataset = await requireDataset(db, access, ref);
  const versions = await listDatasetVersions(db, dataset.id);
  return { ...datasetView(dataset), versions: versions.map(datasetVersionView) };
}

export async function getProjectDatasetVersion(db: Db, access: ProjectAccess, ref: string, version: number) {
  return datasetVersionView((await requireVersion(db, access, ref, version)).version);
}

// ---- uploads -----------------------------------------------------------------------------------------

export interface UploadBody {
  body: ReadableStream<Uint8Array> | null;
  contentLength: string | null;
  contentType: string | null;
}

export interface UploadOptions {
  /** Default: STROP_MAX_UPLOAD_BYTES, else 50 MB. */
  maxBytes?: number;
}

async function upload(
  db: Db,
  access: ProjectAccess,
  target: { create: string } | { dataset: DatasetListItem },
  query: UploadQuery,
  request: UploadBody,
  actor: AuditActor,
  options: UploadOptions,
) {
  await requireActiveProject(db, access);
  const limit = options.maxBytes ?? maxUploadBytes();
  const declared = Number(request.contentLength ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  const latest = "dataset" in target ? target.dataset.latest : null;
  const expected = query.expected ?? latest?.expectedColumn;
  if (!expected) {
    throw new InputError("Name the expected output column: ?expected=<column>", {
      issues: [{ in: "query", path: "expected", message: "name the expected output column" }],
    });
  }
  const mapping: ColumnMapping = {
    expected,
    inputs: query.inputs ?? (latest && !query.expected ? inputColumnsOf(latest) : null),
    id: query.id ?? (latest && !query.expected ? latest.idColumn : null),
  };
  checkMapping(mapping);
  const base = latest?.splits ?? DEFAULT_SPLITS;
  const splits: DatasetSplits = {
    validation: query.validation ?? base.validation,
    test: query.test ?? base.test,
    seed: query.seed ?? base.seed,
  };
  if (splits.validation + splits.test >= 0.9) {
    throw new InputError("validation + test must leave at least 10% for training", {
      issues: [
        { in: "query", path: "test", message: "validation + test must leave at least 10% for training" },
      ],
    });
  }
  const format = uploadFormat(query.format, query.filename, request.contentType);
  const sourceName = query.filename?.trim() || `upload.${format}`;

  const spooled = await spoolUpload(request.body, limit);
  try {
    const checked = await checkDatasetFile(spooled.file, format, sourceName, mapping, splits);
    const written = await writeDatasetVersion(db, actor, {
      projectId: access.project.id,
      organizationId: access.project.organization.id,
      dataset: "create" in target ? { create: target.create } : { id: target.dataset.id },
      sourceName,
      columns: checked.columns,
      expectedColumn: mapping.expected,
      inputColumns: checked.inputColumns,
      idColumn: mapping.id,
      splits,
      note: `upload ${sourceName}`,
      contentHash: checked.contentHash,
      rows: () => examplesOf(spooled.file, format, sourceName, mapping),
    });
    const dataset = await requireDataset(db, access, written.datasetId);
    return {
      dataset: datasetView(dataset),
      version: datasetVersionView({ ...written.version, runCount: 0 }),
      created: written.created,
    };
  } finally {
    await rm(spooled.dir, { recursive: true, force: true });
  }
}

/** A new dataset from an uploaded file (streamed; see lib/services/dataset-upload.ts). */
export async function uploadNewDataset(
  db: Db,
  access: ProjectAccess,
  query: UploadQuery & { name: string },
  request: UploadBody,
  actor: AuditActor,
  options: UploadOptions = {},
) {
  if (await findDataset(db, access.project.id, query.name)) {
    throw new ConflictError(`a dataset named "${query.name}" already exists; upload a new version of it`, {
      issues: [{ in: "query", path: "name", message: "a dataset with this name exists" }],
    });
  }
  return upload(db, access, { create: query.name }, query, request, actor, options);
}

/** The next version of a dataset from an uploaded file; mapping and splits default to the latest's. */
export async function uploadDatasetVersion(
  db: Db,
  access: ProjectAccess,
  ref: string,
  query: UploadQuery,
  request: UploadBody,
  actor: AuditActor,
  options: UploadOptions = {},
) {
  const dataset = await requireDataset(db, access, ref);
  return upload(db, access, { dataset }, query, request, actor, options);
}

// ---- reading rows --------------------------------------------------------------------------------------

function encodeRowCursor(row: number): string {
  return Buffer.from(`row:${row}`).toString("base64url");
}

function decodeRowCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const match = /^row:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) {
    throw new InputError("Invalid query.cursor: not a cursor this API returned", {
      issues: [{ in: "query", path: "cursor", message: "not a cursor this API returned" }],
    });
  }
  return Number(match[1]);
}

/** A page of a version's rows in file order. */
export async function previewDatasetVersion(
  db: Db,
  access: ProjectAccess,
  ref: string,
  version: number,
  query: { cursor?: string; limit: number },
): Promise<{ items: StoredExample[]; nextCursor: string | null }> {
  const afterRow = decodeRowCursor(query.cursor);
  const found = await requireVersion(db, access, ref, version);
  const page = await listExamplesPage(db, found.version.id, { afterRow, limit: query.limit });
  return {
    items: page.items,
    nextCursor: page.nextAfterRow !== null ? encodeRowCursor(page.nextAfterRow) : null,
  };
}

/** The value of a column of a stored row, as the file had it ("" when absent). */
function cellOf(
  v: DatasetVersionRecord,
  inputs: Set<string>,
  e: StoredExample,
  column: string,
): string | undefined {
  if (column === v.idColumn) return e.id;
  if (column === v.expectedColumn) return e.expected;
  if (inputs.has(column)) return e.input[column];
  return e.extra?.[column];
}

const DOWNLOAD_BATCH = 1000;

/**
 * A version as CSV (header = its columns) or JSONL (one object per row), streamed from the database a
 * batch at a time. A download that cannot finish (the dataset was deleted meanwhile) ends in an error
 * rather than a short file.
 */
export async function downloadDatasetVersion(
  db: Db,
  access: ProjectAccess,
  ref: string,
  version: number,
  format: "csv" | "jsonl",
): Promise<FileDownload> {
  const { dataset, version: v } = await requireVersion(db, access, ref, version);
  const inputs = new Set(inputColumnsOf(v));
  const render = (e: StoredExample) => {
    if (format === "csv") return csvLine(v.columns.map((c) => cellOf(v, inputs, e, c) ?? ""));
    const row: Record<string, string> = {};
    for (const c of v.columns) {
      const value = cellOf(v, inputs, e, c);
      if (value !== undefined) row[c] = value;
    }
    return `${JSON.stringify(row)}\n`;
  };
  async function* chunks(): AsyncGenerator<string> {
    if (format === "csv") yield csvLine(v.columns);
    let batch = "";
    let rows = 0;
    for await (const example of iterateExamples(db, v.id, DOWNLOAD_BATCH)) {
      batch += render(example);
      if (++rows % DOWNLOAD_BATCH === 0) {
        yield batch;
        batch = "";
      }
    }
    if (batch) yield batch;
    if (rows !== v.rowCount)
      throw new Error(`dataset version changed during the download (${rows}/${v.rowCount} rows)`);
  }
  return fileDownload(chunks(), format, `${safeFileName(dataset.name, "dataset")}-v${v.version}.${format}`);
}

// ---- edits and deletion ----------------------------------------------------------------------------------

function duplicates(values: string[], path: string) {
  const firstAt = new Map<string, number>();
  const issues: { in: "body"; path: string; message: string }[] = [];
  for (const [i, value] of values.entries()) {
    const first = firstAt.get(value);
    if (first !== undefined)
      issues.push({ in: "body", path: `${path}.${i}`, message: `repeats ${path}.${first}` });
    else firstAt.set(value, i);
  }
  return issues;
}

/** Changes, appends and deletes rows, and/or sets the splits: a new version; the base one stays. */
export async function editDatasetExamples(
  db: Db,
  access: ProjectAccess,
  ref: string,
  body: EditExamplesBody,
  actor: AuditActor,
) {
  const dataset = await requireDataset(db, access, ref);
  await requireActiveProject(db, access);
  const ids = body.upsert.map((r) => r.id);
  const issues = [...duplicates(ids, "upsert"), ...duplicates(body.delete, "delete")];
  const upserted = new Set(ids);
  for (const [i, id] of body.delete.entries())
    if (upserted.has(id))
      issues.push({ in: "body", path: `delete.${i}`, message: `row "${id}" is also in upsert` });
  if (issues.length)
    throw new InputError(`Invalid body.${issues[0]!.path}: ${issues[0]!.message}`, { issues });

  const parts = [
    body.upsert.length ? `${body.upsert.length} upserted` : "",
    body.delete.length ? `${body.delete.length} deleted` : "",
    body.splits ? "splits set" : "",
  ].filter(Boolean);
  const { version } = await editDatasetVersion(db, actor, {
    projectId: access.project.id,
    organizationId: access.project.organization.id,
    datasetId: dataset.id,
    baseVersion: body.baseVersion,
    upserts: new Map(body.upsert.map((r) => [r.id, { input: r.input, expected: r.expected }])),
    deletes: new Set(body.delete),
    splits: body.splits,
    note: body.note || `edit of v${body.baseVersion}: ${parts.join(", ")}`,
  });
  return { version: datasetVersionView({ ...version, runCount: 0 }) };
}

export async function deleteProjectDataset(db: Db, access: ProjectAccess, ref: string, actor: AuditActor) {
  const dataset = await requireDataset(db, access, ref);
  await deleteDataset(db, actor, {
    projectId: access.project.id,
    organizationId: access.project.organization.id,
    datasetId: dataset.id,
  });
}
