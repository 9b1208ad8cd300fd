// Creating a batch: the job, its rows read from a stream (a chunk of INSERTs at a time, all in the
// creating transaction, so a refused batch stores nothing) and the malformed rows it skipped.
import { randomUUID } from "node:crypto";
import { InputError } from "@/lib/core/errors";
import type { Variables } from "@/lib/core/types";
import type { MalformedPolicy } from "@/lib/validation/batches";
import { batchCacheDocument, batchModelDocument } from "@/lib/validation/stored-state";
import type { CacheConfig, ModelConfig } from "@/lib/validation/task-file";
import { type AuditActor, type AuditEntryInput, appendAudit } from "../audit";
import type { Db, Tx } from "../client";
import { insertValues } from "../raw-insert";
import { json } from "../util";
import { type BatchOrigin, type BatchRecord, type BatchSource, batchRecord, withRefs } from "./records";

/**
 * Rows per INSERT. Small on purpose (see ../datasets/web-versions.ts): Prisma's query plan cache keeps recent raw
 * statements with their parameters, so big statements keep their rows alive after the write.
 */
export const INSERT_CHUNK = 100;
/** Creating a batch of 100k rows takes seconds; the default interactive-transaction timeout is 5 s. */
const WRITE_TIMEOUT_MS = 10 * 60_000;
/** Issues returned with a created batch and a batch's detail. */
export const SHOWN_ISSUES = 20;

export interface NewBatch {
  projectId: string;
  organizationId: string;
  taskId: string;
  promptVersionId: string;
  source: BatchSource;
  datasetVersionId: string | null;
  sourceName: string;
  model: ModelConfig;
  cache: CacheConfig;
  chunkSize: number;
  malformedPolicy: MalformedPolicy;
  origin: BatchOrigin;
  createdBy: string | null;
  /** For the audit entry. */
  taskName: string;
  promptVersion: number;
}

/** A row to process, or a malformed row that was skipped. Row numbers increase. */
export type BatchItem =
  | { kind: "row"; rowNumber: number; key: string; input: Variables }
  | { kind: "issue"; rowNumber: number | null; line: number | null; message: string };

export interface WrittenBatch {
  batch: BatchRecord;
  /** The first SHOWN_ISSUES skipped rows. */
  issues: { row: number | null; message: string }[];
}

const insertRows = (tx: Tx, batchId: string, rows: Extract<BatchItem, { kind: "row" }>[]) =>
  insertValues(
    tx,
    "BatchRow",
    ["batchId", "rowNumber", "key", "input"],
    rows.map((r) => [batchId, r.rowNumber, r.key, JSON.stringify(r.input)]),
  );

type Issue = Extract<BatchItem, { kind: "issue" }>;

const insertIssues = (tx: Tx, batchId: string, issues: Issue[]) =>
  insertValues(
    tx,
    "BatchIssue",
    ["id", "batchId", "rowNumber", "line", "message"],
    issues.map((i) => [randomUUID(), batchId, i.rowNumber, i.line, i.message]),
  );

/**
 * Creates a queued batch with its rows and skipped-row issues, read once from `items` (inside the
 * transaction: reads of the database while it runs must go through `tx`), and its audit entry: all or
 * nothing. `items` throwing (a malformed row under policy
 * "stop", an unreadable file) rolls everything back. `columns()` is asked after the last item. A batch
 * without a single row to process is refused (InputError), nothing stored.
 */
export function writeBatch(
  db: Db,
  actor: AuditActor,
  input: NewBatch,
  items: (tx: Tx) => AsyncIterable<BatchItem>,
  columns: () => string[],
): Promise<WrittenBatch> {
  return db.$transaction(
    async (tx) => {
      const created = await tx.batchJob.create({
        data: {
          projectId: input.projectId,
          taskId: input.taskId,
          promptVersionId: input.promptVersionId,
          source: input.source,
          datasetVersionId: input.datasetVersionId,
          sourceName: input.sourceName,
          model: json(batchModelDocument.write(input.model, `new batch over ${input.sourceName}: model`)),
          cache: json(batchCacheDocument.write(input.cache, `new batch over ${input.sourceName}: cache`)),
          chunkSize: input.chunkSize,
          malformedPolicy: input.malformedPolicy,
          columns: json([]),
          origin: input.origin,
          createdBy: input.createdBy,
          status: "queued",
        },
        select: { id: true },
      });
      const batchId = created.id;
      let rows: Extract<BatchItem, { kind: "row" }>[] = [];
      let issues: Issue[] = [];
      const shown: { row: number | null; message: string }[] = [];
      let totalRows = 0;
      let skippedRows = 0;
      let lastRowNumber = 0;
      for await (const item of items(tx)) {
        if (item.kind === "row") {
          rows.push(item);
          totalRows++;
          lastRowNumber = Math.max(lastRowNumber, item.rowNumber);
          if (rows.length === INSERT_CHUNK) {
            await insertRows(tx, batchId, rows);
            rows = [];
          }
        } else {
          if (item.rowNumber !== null) skippedRows++;
          if (shown.length < SHOWN_ISSUES) shown.push({ row: item.rowNumber, message: item.message });
          issues.push(item);
          if (issues.length === INSERT_CHUNK) {
            await insertIssues(tx, batchId, issues);
            issues = [];
          }
        }
      }
      await insertRows(tx, batchId, rows);
      await insertIssues(tx, batchId, issues);
      if (totalRows === 0) {
        throw new InputError(
          skippedRows > 0
            ? `${input.sourceName}: every row is malformed (${skippedRows} skipped); nothing to process, nothing was stored`
            : `${input.sourceName}: no rows to process; nothing was stored`,
          { issues: shown },
        );
      }
      const row = await tx.batchJob.update({
        where: { id: batchId },
        data: { totalRows, skippedRows, lastRowNumber, columns: json(columns()) },
        include: withRefs,
      });
      const audit: AuditEntryInput = {
        action: "batch.created",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "batch",
        targetId: batchId,
        targetLabel: `${input.taskName} v${input.promptVersion} over ${input.sourceName}`,
        after: {
          task: input.taskName,
          promptVersion: input.promptVersion,
          source: input.source,
          sourceName: input.sourceName,
          model: input.model.id,
          chunkSize: input.chunkSize,
          onMalformedRow: input.malformedPolicy,
          totalRows,
          skippedRows,
        },
      };
      await appendAudit(tx, actor, audit);
      return { batch: batchRecord(row), issues: shown };
    },
    { timeout: WRITE_TIMEOUT_MS, maxWait: 60_000 },
  );
}
