// Writing web datasets: a version from streamed rows (uploads), a version derived from the latest one
// with rows changed, appended or deleted (edits), deletion. Each commits with its audit entry, all or
// nothing; concurrent writers of one dataset queue on its row.
import { createHash, randomUUID } from "node:crypto";
import { ConflictError, InputError, NotFoundError } from "@/lib/core/errors";
import type { Variables } from "@/lib/core/types";
import { type AuditActor, type AuditEntryInput, appendAudit } from "./audit";
import type { Db, Tx } from "./client";
import {
  DATASET_WRITE_TIMEOUT_MS,
  type DatasetSplits,
  type DatasetVersionRecord,
  type ExampleInput,
  iterateExamples,
  toRecord,
} from "./datasets";
import { Prisma } from "./generated/sqlite/client";
import { canonicalJson, json } from "./util";

/**
 * Rows per INSERT when writing from a stream. Small on purpose: Prisma keeps recent raw queries with
 * their parameters in its query plan cache (bounded, ~100 entries), so 1,000-row statements keep ~90 MB
 * alive after a large write; 100-row statements keep ~10 MB and are no slower.
 */
const INSERT_CHUNK = 100;

/** The dataset a change happens in, for audit entries. */
export interface DatasetScope {
  projectId: string;
  organizationId: string;
}

/**
 * The content hash of a web dataset version: its rows (id, input, expected, extra, in order) and the
 * mapping and split configuration. Same hash, same version.
 */
export class DatasetHasher {
  private readonly hash = createHash("sha256");

  add(example: { key: string; input: Variables; expected: string; extra?: Variables | null }): void {
    this.hash.update(JSON.stringify([example.key, example.input, example.expected, example.extra ?? null]));
    this.hash.update("\n");
  }

  digest(meta: {
    columns: string[];
    expectedColumn: string;
    inputColumns: string[] | null;
    idColumn: string | null;
    splits: DatasetSplits;
  }): string {
    this.hash.update(canonicalJson(meta));
    return this.hash.digest("hex");
  }
}

async function insertExamples(tx: Tx, datasetVersionId: string, rows: ExampleInput[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (e) =>
      Prisma.sql`(${randomUUID()}, ${datasetVersionId}, ${e.key}, ${e.rowNumber}, ${JSON.stringify(e.input)}, ${e.expected}, ${e.extra ? JSON.stringify(e.extra) : null})`,
  );
  await tx.$executeRaw`INSERT INTO "Example" ("id", "datasetVersionId", "key", "rowNumber", "input", "expected", "extra") VALUES ${Prisma.join(values)}`;
}

/** Writes rows as they come, CHUNK at a time; returns how many. */
async function insertStream(
  tx: Tx,
  datasetVersionId: string,
  rows: AsyncIterable<ExampleInput> | Iterable<ExampleInput>,
): Promise<number> {
  let batch: ExampleInput[] = [];
  let count = 0;
  for await (const row of rows) {
    batch.push(row);
    count++;
    if (batch.length === INSERT_CHUNK) {
      await insertExamples(tx, datasetVersionId, batch);
      batch = [];
    }
  }
  await insertExamples(tx, datasetVersionId, batch);
  return count;
}

export interface NewWebDatasetVersion extends DatasetScope {
  /** A new dataset of this name (a taken name is a ConflictError), or a version of an existing one. */
  dataset: { create: string } | { id: string };
  sourceName: string;
  columns: string[];
  expectedColumn: string;
  inputColumns: string[];
  idColumn: string | null;
  splits: DatasetSplits;
  note: string;
  contentHash: string;
  /** Read once, inside the transaction, in file order (keys unique: checked by the caller). */
  rows: () => AsyncIterable<ExampleInput>;
}

async function lockDataset(tx: Tx, projectId: string, id: string) {
  // Writing the dataset row locks it: concurrent writers of the same dataset queue here.
  const found = await tx.dataset.findFirst({ where: { id, projectId }, select: { id: true } });
  if (!found) throw new NotFoundError("the dataset no longer exists");
  return tx.dataset.update({ where: { id }, data: { updatedAt: new Date() } });
}

/**
 * Creates a dataset with its first version, or the next version of a dataset, with all its rows: all
 * or nothing, with its audit entry. A version of an existing dataset with the same content hash is
 * returned instead (`created: false`).
 */
export function writeDatasetVersion(
  db: Db,
  actor: AuditActor,
  input: NewWebDatasetVersion,
): Promise<{ datasetId: string; datasetName: string; version: DatasetVersionRecord; created: boolean }> {
  return db.$transaction(
    async (tx) => {
      let dataset: { id: string; name: string };
      if ("create" in input.dataset) {
        const name = input.dataset.create;
        if (await tx.dataset.findUnique({ where: { projectId_name: { projectId: input.projectId, name } } }))
          throw new ConflictError(`a dataset named "${name}" already exists; upload a new version of it`);
        dataset = await tx.dataset.create({ data: { projectId: input.projectId, name } });
      } else {
        dataset = await lockDataset(tx, input.projectId, input.dataset.id);
        const same = await tx.datasetVersion.findFirst({
          where: { datasetId: dataset.id, contentHash: input.contentHash },
          orderBy: { version: "desc" },
        });
        if (same)
          return {
            datasetId: dataset.id,
            datasetName: dataset.name,
            version: toRecord(same),
            created: false,
          };
      }
      const last = await tx.datasetVersion.aggregate({
        where: { datasetId: dataset.id },
        _max: { version: true },
      });
      const created = await tx.datasetVersion.create({
        data: {
          datasetId: dataset.id,
          version: (last._max.version ?? 0) + 1,
          contentHash: input.contentHash,
          sourceName: input.sourceName,
          rowCount: 0,
          columns: json(input.columns),
          expectedColumn: input.expectedColumn,
          inputColumns: json(input.inputColumns),
          idColumn: input.idColumn,
          splitValidation: input.splits.validation,
          splitTest: input.splits.test,
          splitSeed: input.splits.seed,
          note: input.note,
        },
      });
      const rowCount = await insertStream(tx, created.id, input.rows());
      const version = toRecord(
        await tx.datasetVersion.update({ where: { id: created.id }, data: { rowCount } }),
      );
      const audit: AuditEntryInput[] = [];
      if ("create" in input.dataset) {
        audit.push({
          action: "dataset.created",
          organizationId: input.organizationId,
          projectId: input.projectId,
          targetType: "dataset",
          targetId: dataset.id,
          targetLabel: dataset.name,
          after: { name: dataset.name },
        });
      }
      audit.push(versionAudit(input, dataset, version));
      for (const entry of audit) await appendAudit(tx, actor, entry);
      return { datasetId: dataset.id, datasetName: dataset.name, version, created: true };
    },
    { timeout: DATASET_WRITE_TIMEOUT_MS, maxWait: 60_000 },
  );
}

function versionAudit(
  scope: DatasetScope,
  dataset: { id: string; name: string },
  version: DatasetVersionRecord,
): AuditEntryInput {
  return {
    action: "dataset.version_created",
    organizationId: scope.organizationId,
    projectId: scope.projectId,
    targetType: "dataset",
    targetId: dataset.id,
    targetLabel: `${dataset.name} v${version.version}`,
    after: {
      version: version.version,
      rowCount: version.rowCount,
      sourceName: version.sourceName,
      note: version.note,
      ...(version.parentVersion !== null ? { parentVersion: version.parentVersion } : {}),
      splits: version.splits,
    },
  };
}

export interface ExampleChange {
  /** Replaces the row's input variables when given. */
  input?: Variables;
  expected?: string;
}

export interface DatasetEdit extends DatasetScope {
  datasetId: string;
  /** The version edited: it must still be the latest (else a ConflictError: reload and edit again). */
  baseVersion: number;
  /** Rows by id: existing ones change, new ones (with input and expected) are appended in this order. */
  upserts: Map<string, ExampleChange>;
  deletes: Set<string>;
  splits?: DatasetSplits;
  note: string;
}

const LOOKUP_CHUNK = 500;

async function existingKeys(tx: Tx, datasetVersionId: string, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    const rows = await tx.example.findMany({
      where: { datasetVersionId, key: { in: keys.slice(i, i + LOOKUP_CHUNK) } },
      select: { key: true },
    });
    for (const row of rows) found.add(row.key);
  }
  return found;
}

const listed = (keys: string[]) =>
  keys
    .slice(0, 10)
    .map((k) => `"${k}"`)
    .join(", ") + (keys.length > 10 ? `, … (${keys.length} in all)` : "");

/**
 * Derives version N+1 from the latest version N: its rows in order with the changes applied, deleted
 * rows left out, new rows appended, renumbered 1..n. Version N stays as it was. All or nothing.
 */
export function editDatasetVersion(
  db: Db,
  actor: AuditActor,
  edit: DatasetEdit,
): Promise<{ datasetName: string; version: DatasetVersionRecord }> {
  return db.$transaction(
    async (tx) => {
      const dataset = await lockDataset(tx, edit.projectId, edit.datasetId);
      const latest = await tx.datasetVersion.findFirst({
        where: { datasetId: dataset.id },
        orderBy: { version: "desc" },
      });
      if (!latest) throw new NotFoundError(`dataset "${dataset.name}" has no version to edit`);
      if (latest.version !== edit.baseVersion) {
        throw new ConflictError(
          `version ${edit.baseVersion} is not the latest version of "${dataset.name}" (${latest.version} is): reload it and edit again`,
          { latestVersion: latest.version },
        );
      }
      const base = toRecord(latest);
      const touched = [...new Set([...edit.upserts.keys(), ...edit.deletes])];
      const existing = await existingKeys(tx, base.id, touched);
      const missing = [...edit.deletes].filter((k) => !existing.has(k));
      if (missing.length) throw new InputError(`no rows with these ids to delete: ${listed(missing)}`);
      const added = [...edit.upserts].filter(([key]) => !existing.has(key));
      const incomplete = added.filter(([, c]) => !c.input || c.expected === undefined).map(([k]) => k);
      if (incomplete.length) {
        throw new InputError(`new rows need both input and expected: ${listed(incomplete)}`);
      }

      const inputColumns = [
        ...(base.inputColumns ??
          base.columns.filter((c) => c !== base.expectedColumn && c !== base.idColumn)),
      ];
      const taken = new Set<string>();
      for (const change of edit.upserts.values()) {
        for (const name of Object.keys(change.input ?? {})) {
          if (inputColumns.includes(name)) continue;
          // A column the rows hold as their expected output, id or other data cannot become an input.
          if (base.columns.includes(name) || name === base.idColumn) taken.add(name);
          else inputColumns.push(name);
        }
      }
      if (taken.size) {
        throw new InputError(
          `not input columns of this dataset (they hold the expected output, the ids or other data): ${listed([...taken])}`,
        );
      }

      const created = await tx.datasetVersion.create({
        data: {
          datasetId: dataset.id,
          version: base.version + 1,
          contentHash: "",
          sourceName: base.sourceName,
          rowCount: 0,
          columns: json(base.columns),
          expectedColumn: base.expectedColumn,
          inputColumns: json(inputColumns),
          idColumn: base.idColumn,
          splitValidation: (edit.splits ?? base.splits).validation,
          splitTest: (edit.splits ?? base.splits).test,
          splitSeed: (edit.splits ?? base.splits).seed,
          parentVersion: base.version,
          note: edit.note,
        },
      });
      const hasher = new DatasetHasher();
      let keysAreRowNumbers = true;
      let rowNumber = 0;
      const next = (
        key: string,
        input: Variables,
        expected: string,
        extra: Variables | null,
      ): ExampleInput => {
        rowNumber++;
        if (key !== String(rowNumber)) keysAreRowNumbers = false;
        const row = { key, rowNumber, input, expected, extra };
        hasher.add(row);
        return row;
      };
      async function* rows(): AsyncGenerator<ExampleInput> {
        for await (const example of iterateExamples(tx, base.id)) {
          if (edit.deletes.has(example.id)) continue;
          const change = edit.upserts.get(example.id);
          yield next(
            example.id,
            change?.input ?? example.input,
            change?.expected ?? example.expected,
            example.extra,
          );
        }
        for (const [key, change] of added) yield next(key, change.input!, change.expected!, null);
      }
      const rowCount = await insertStream(tx, created.id, rows());
      if (rowCount === 0) throw new InputError("an edit cannot delete every row of a dataset");

      // Ids that are no longer the row numbers need a column of their own in downloads.
      let idColumn = base.idColumn;
      let columns = [...base.columns];
      if (idColumn === null && !keysAreRowNumbers) {
        idColumn = ["id", "example_id", "_id", "__id"].find((c) => !columns.includes(c)) ?? "__strop_id";
        columns = [idColumn, ...columns];
      }
      for (const name of inputColumns) if (!columns.includes(name)) columns.push(name);
      const meta = {
        columns,
        expectedColumn: base.expectedColumn,
        inputColumns,
        idColumn,
        splits: edit.splits ?? base.splits,
      };
      const version = toRecord(
        await tx.datasetVersion.update({
          where: { id: created.id },
          data: { rowCount, columns: json(columns), idColumn, contentHash: hasher.digest(meta) },
        }),
      );
      await appendAudit(tx, actor, versionAudit(edit, dataset, version));
      return { datasetName: dataset.name, version };
    },
    { timeout: DATASET_WRITE_TIMEOUT_MS, maxWait: 60_000 },
  );
}

/**
 * Deletes a dataset with all its versions and rows, with its audit entry. A dataset a run used cannot
 * be deleted (the run keeps the version it used): ConflictError.
 */
export function deleteDataset(
  db: Db,
  actor: AuditActor,
  input: DatasetScope & { datasetId: string },
): Promise<void> {
  return db.$transaction(
    async (tx) => {
      const dataset = await lockDataset(tx, input.projectId, input.datasetId);
      const runs = await tx.optimizationRun.count({ where: { datasetVersion: { datasetId: dataset.id } } });
      if (runs > 0) {
        throw new ConflictError(
          `dataset "${dataset.name}" is used by ${runs} run(s); runs keep the dataset version they used, so it cannot be deleted`,
          { runCount: runs },
        );
      }
      const versions = await tx.datasetVersion.count({ where: { datasetId: dataset.id } });
      await tx.dataset.delete({ where: { id: dataset.id } });
      await appendAudit(tx, actor, {
        action: "dataset.deleted",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "dataset",
        targetId: dataset.id,
        targetLabel: dataset.name,
        before: { name: dataset.name, versions },
      });
    },
    { timeout: DATASET_WRITE_TIMEOUT_MS, maxWait: 60_000 },
  );
}
