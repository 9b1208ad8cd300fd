// Changing a web dataset: a version derived from the latest one with rows changed, appended or deleted
// (committed with its audit entry, all or nothing), and deleting a dataset.
import { ConflictError, InputError, NotFoundError } from "@/lib/core/errors";
import type { Variables } from "@/lib/core/types";
import { type AuditActor, appendAudit } from "../audit";
import type { Db, Tx } from "../client";
import { json } from "../util";
import { iterateExamples } from "./reads";
import {
  DATASET_WRITE_TIMEOUT_MS,
  type DatasetSplits,
  type DatasetVersionRecord,
  type ExampleInput,
  toRecord,
} from "./records";
import { DatasetHasher, type DatasetScope, insertStream, lockDataset, versionAudit } from "./web-versions";

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
