// Writing web datasets: a version from streamed rows (uploads), committed with its audit entry, all or
// nothing; concurrent writers of one dataset queue on its row. Edits and deletion: edits.ts.
import { createHash, randomUUID } from "node:crypto";
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import type { Variables } from "@/lib/core/types";
import { type AuditActor, type AuditEntryInput, appendAudit } from "../audit";
import type { Db, Tx } from "../client";
import { insertValues } from "../raw-insert";
import { canonicalJson, json } from "../util";
import {
  DATASET_WRITE_TIMEOUT_MS,
  type DatasetSplits,
  type DatasetVersionRecord,
  type ExampleInput,
  toRecord,
} from "./records";

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

/** Writes examples of a version in one multi-row INSERT (../raw-insert.ts). */
export const insertExamples = (tx: Tx, datasetVersionId: string, rows: ExampleInput[]) =>
  insertValues(
    tx,
    "Example",
    ["id", "datasetVersionId", "key", "rowNumber", "input", "expected", "extra"],
    rows.map((e) => [
      randomUUID(),
      datasetVersionId,
      e.key,
      e.rowNumber,
      JSON.stringify(e.input),
      e.expected,
      e.extra ? JSON.stringify(e.extra) : null,
    ]),
  );

/** Writes rows as they come, CHUNK at a time; returns how many. */
export async function insertStream(
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

export async function lockDataset(tx: Tx, projectId: string, id: string) {
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

export function versionAudit(
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
