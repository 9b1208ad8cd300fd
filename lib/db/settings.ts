// Project settings: named model configurations (ML settings) and metric configurations.
import type { ModelParams } from "@/lib/core/types";
import type { Db } from "./client";
import type { MetricConfig, ModelConfig } from "./generated/sqlite/client";
import { json, retryOnUniqueViolation } from "./util";

export interface ModelConfigInput {
  name: string;
  /** "provider:model", e.g. "openai:gpt-4o-mini". */
  modelId: string;
  baseURL?: string | null;
  apiKeyEnv?: string | null;
  params?: ModelParams;
  priceInputPerMTok?: number | null;
  priceOutputPerMTok?: number | null;
  concurrency?: number;
}

export interface ModelConfigRecord {
  id: string;
  projectId: string;
  name: string;
  modelId: string;
  baseURL: string | null;
  apiKeyEnv: string | null;
  params: ModelParams;
  priceInputPerMTok: number | null;
  priceOutputPerMTok: number | null;
  concurrency: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface MetricConfigInput {
  name: string;
  /** The registered metric, e.g. "exact-match". */
  metric: string;
  options?: Record<string, unknown>;
  weight?: number;
  target?: number | null;
}

export interface MetricConfigRecord {
  id: string;
  projectId: string;
  name: string;
  metric: string;
  options: Record<string, unknown>;
  weight: number;
  target: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const DEFAULT_CONCURRENCY = 8;

const modelRecord = (row: ModelConfig): ModelConfigRecord => ({ ...row, params: row.params as ModelParams });
const metricRecord = (row: MetricConfig): MetricConfigRecord => ({
  ...row,
  options: row.options as Record<string, unknown>,
});

/** Creates or replaces (every field, absent optional ones reset) the model configuration `name`. */
export async function upsertModelConfig(
  db: Db,
  projectId: string,
  input: ModelConfigInput,
): Promise<ModelConfigRecord> {
  const data = {
    modelId: input.modelId,
    baseURL: input.baseURL ?? null,
    apiKeyEnv: input.apiKeyEnv ?? null,
    params: json(input.params ?? {}),
    priceInputPerMTok: input.priceInputPerMTok ?? null,
    priceOutputPerMTok: input.priceOutputPerMTok ?? null,
    concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
  };
  const row = await retryOnUniqueViolation(() =>
    db.modelConfig.upsert({
      where: { projectId_name: { projectId, name: input.name } },
      create: { projectId, name: input.name, ...data },
      update: data,
    }),
  );
  return modelRecord(row);
}

export async function listModelConfigs(db: Db, projectId: string): Promise<ModelConfigRecord[]> {
  const rows = await db.modelConfig.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  return rows.map(modelRecord);
}

export async function getModelConfig(
  db: Db,
  projectId: string,
  name: string,
): Promise<ModelConfigRecord | null> {
  const row = await db.modelConfig.findUnique({ where: { projectId_name: { projectId, name } } });
  return row ? modelRecord(row) : null;
}

/** True when a configuration was deleted. */
export async function deleteModelConfig(db: Db, projectId: string, name: string): Promise<boolean> {
  const { count } = await db.modelConfig.deleteMany({ where: { projectId, name } });
  return count > 0;
}

/** Creates or replaces (every field, absent optional ones reset) the metric configuration `name`. */
export async function upsertMetricConfig(
  db: Db,
  projectId: string,
  input: MetricConfigInput,
): Promise<MetricConfigRecord> {
  const data = {
    metric: input.metric,
    options: json(input.options ?? {}),
    weight: input.weight ?? 1,
    target: input.target ?? null,
  };
  const row = await retryOnUniqueViolation(() =>
    db.metricConfig.upsert({
      where: { projectId_name: { projectId, name: input.name } },
      create: { projectId, name: input.name, ...data },
      update: data,
    }),
  );
  return metricRecord(row);
}

export async function listMetricConfigs(db: Db, projectId: string): Promise<MetricConfigRecord[]> {
  const rows = await db.metricConfig.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  return rows.map(metricRecord);
}

export async function getMetricConfig(
  db: Db,
  projectId: string,
  name: string,
): Promise<MetricConfigRecord | null> {
  const row = await db.metricConfig.findUnique({ where: { projectId_name: { projectId, name } } });
  return row ? metricRecord(row) : null;
}

/** True when a configuration was deleted. */
export async function deleteMetricConfig(db: Db, projectId: string, name: string): Promise<boolean> {
  const { count } = await db.metricConfig.deleteMany({ where: { projectId, name } });
  return count > 0;
}
