// What the batches repository hands out: a batch with its typed model, cache settings and columns.
// Stored JSON is parsed here, once, with the schemas of lib/validation.

import type * as z from "zod";
import {
  type BatchStatus,
  batchOriginSchema,
  batchSourceSchema,
  batchStatusSchema,
  type MalformedPolicy,
  malformedPolicySchema,
} from "@/lib/validation/batches";
import type { LatencySummary } from "@/lib/validation/common";
import { readStored } from "@/lib/validation/stored-document";
import {
  batchCacheDocument,
  batchModelDocument,
  latencyDocument,
  storedNamesSchema,
} from "@/lib/validation/stored-state";
import type { CacheConfig, ModelConfig } from "@/lib/validation/task-file";
import type { BatchJob } from "../generated/sqlite/client";

export type BatchJobStatus = BatchStatus;
export type BatchSource = z.output<typeof batchSourceSchema>;
export type BatchOrigin = z.output<typeof batchOriginSchema>;

export interface BatchRecord {
  id: string;
  projectId: string;
  taskId: string;
  taskName: string;
  promptVersionId: string;
  promptVersion: number;
  source: BatchSource;
  datasetVersionId: string | null;
  sourceName: string;
  /** The resolved task model configuration the batch calls. */
  model: ModelConfig;
  cache: CacheConfig;
  chunkSize: number;
  malformedPolicy: MalformedPolicy;
  columns: string[];
  lastRowNumber: number;
  origin: BatchOrigin;
  status: BatchJobStatus;
  totalRows: number;
  doneRows: number;
  failedRows: number;
  skippedRows: number;
  error: string | null;
  failedStep: string | null;
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Provider requests the gateway retried (429s, 5xx, timeouts). */
  retries: number;
  /** Latency of the rows' calls, stored when the batch finished (null before). */
  latency: LatencySummary | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Batches a runner may still pick up. */
export const ACTIVE_BATCH_STATUSES: BatchJobStatus[] = ["queued", "running"];

export const withRefs = {
  task: { select: { name: true } },
  promptVersion: { select: { version: true } },
} as const;

type BatchJobRow = BatchJob & { task: { name: string }; promptVersion: { version: number } };

export const readBatchStatus = (value: string, batchId: string): BatchJobStatus =>
  readStored(batchStatusSchema, value, `batch ${batchId}: status`);

export function batchRecord(row: BatchJobRow): BatchRecord {
  const { task, promptVersion, ...rest } = row;
  const where = `batch ${row.id}`;
  return {
    ...rest,
    taskName: task.name,
    promptVersion: promptVersion.version,
    source: readStored(batchSourceSchema, row.source, `${where}: source`),
    model: batchModelDocument.read(row.model, `${where}: model`),
    cache: batchCacheDocument.read(row.cache, `${where}: cache`),
    malformedPolicy: readStored(malformedPolicySchema, row.malformedPolicy, `${where}: malformedPolicy`),
    columns: readStored(storedNamesSchema, row.columns, `${where}: columns`),
    origin: readStored(batchOriginSchema, row.origin, `${where}: origin`),
    status: readBatchStatus(row.status, row.id),
    latency:
      row.latency === null || row.latency === undefined
        ? null
        : latencyDocument.read(row.latency, `${where}: latency`),
  };
}
