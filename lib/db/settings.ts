// Project settings: named model configurations (ML settings) and metric configurations. The `upsert*` and
// `delete*` functions are for tools and tests; changes made by users go through `create*`, `update*` and
// `remove*`, which commit with their audit entry and refuse lost updates (`expectedUpdatedAt`).

import { ConflictError, NotFoundError } from "@/lib/core/errors";
import type { ModelParams } from "@/lib/core/types";
import { readStored } from "@/lib/validation/stored-document";
import { storedObjectSchema, storedParamsSchema } from "@/lib/validation/stored-state";
import { type AuditActor, type AuditEntryInput, audited } from "./audit";
import type { Db, Tx } from "./client";
import type { MetricConfig, ModelConfig } from "./generated/sqlite/client";
import type { ProjectScope } from "./memberships";
import { isUniqueViolation, json, retryOnUniqueViolation } from "./util";

export interface ModelConfigInput {
  name: string;
  /** "provider:model", e.g. "openai:gpt-4o-mini". */
  modelId: string;
  /** Name of a provider credential of the project (checked by the service). */
  credential?: string | null;
  params?: ModelParams;
  priceInputPerMTok?: number | null;
  priceOutputPerMTok?: number | null;
  concurrency?: number;
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
  timeoutMs?: number | null;
  maxRetries?: number | null;
}

export interface ModelConfigRecord {
  id: string;
  projectId: string;
  name: string;
  modelId: string;
  credential: string | null;
  params: ModelParams;
  priceInputPerMTok: number | null;
  priceOutputPerMTok: number | null;
  concurrency: number;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  timeoutMs: number | null;
  maxRetries: number | null;
  updatedBy: string | null;
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
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const DEFAULT_CONCURRENCY = 8;

const modelRecord = (row: ModelConfig): ModelConfigRecord => ({
  ...row,
  params: readStored(storedParamsSchema, row.params, `model configuration "${row.name}": params`),
});
const metricRecord = (row: MetricConfig): MetricConfigRecord => ({
  ...row,
  options: readStored(storedObjectSchema, row.options, `metric configuration "${row.name}": options`),
});

function modelData(input: Omit<ModelConfigInput, "name">) {
  return {
    modelId: input.modelId,
    credential: input.credential ?? null,
    params: json(input.params ?? {}),
    priceInputPerMTok: input.priceInputPerMTok ?? null,
    priceOutputPerMTok: input.priceOutputPerMTok ?? null,
    concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
    requestsPerMinute: input.requestsPerMinute ?? null,
    tokensPerMinute: input.tokensPerMinute ?? null,
    timeoutMs: input.timeoutMs ?? null,
    maxRetries: input.maxRetries ?? null,
  };
}

function metricData(input: Omit<MetricConfigInput, "name">) {
  return {
    metric: input.metric,
    options: json(input.options ?? {}),
    weight: input.weight ?? 1,
    target: input.target ?? null,
  };
}

/** Creates or replaces (every field, absent optional ones reset) the model configuration `name`. */
export async function upsertModelConfig(
  db: Db,
  projectId: string,
  input: ModelConfigInput,
): Promise<ModelConfigRecord> {
  const data = modelData(input);
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
  const data = metricData(input);
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

// ---- Audited changes (the API and the settings page) ------------------------------------------------

/** What the audit entry of a model configuration shows (it holds no secret: `credential` is a name). */
function modelSummary(record: ModelConfigRecord): Record<string, unknown> {
  const { id: _id, projectId: _projectId, createdAt: _c, updatedAt: _u, updatedBy: _b, ...rest } = record;
  return rest;
}

function metricSummary(record: MetricConfigRecord): Record<string, unknown> {
  const { id: _id, projectId: _projectId, createdAt: _c, updatedAt: _u, updatedBy: _b, ...rest } = record;
  return rest;
}

/** Create and update fail on a taken name (409) instead of silently replacing. */
async function refusingTakenName<T>(kind: string, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`a ${kind} named "${name}" already exists`);
    throw error;
  }
}

function staleError(kind: string, name: string, current: Date): ConflictError {
  return new ConflictError(
    `the ${kind} "${name}" was changed by someone else (at ${current.toISOString()}): reload it and try again`,
    { updatedAt: current.toISOString() },
  );
}

/** Writes `data` to row `id` only if its updatedAt is still `expected` (compare-and-set). */
async function updateIfUnchanged(
  update: (where: { id: string; updatedAt?: Date }) => Promise<{ count: number }>,
  id: string,
  expected: Date | undefined,
): Promise<boolean> {
  const { count } = await update(expected ? { id, updatedAt: expected } : { id });
  return count === 1;
}

/** The audit entry of a change to a model or metric configuration. */
function configAudit(
  kind: "model_config" | "metric_config",
  action: "created" | "updated" | "deleted",
  scope: ProjectScope,
  target: { id: string; name: string },
  summaries: Pick<AuditEntryInput, "before" | "after">,
): AuditEntryInput {
  return {
    action: `${kind}.${action}`,
    organizationId: scope.organizationId,
    projectId: scope.projectId,
    targetType: kind,
    targetId: target.id,
    targetLabel: target.name,
    ...summaries,
  };
}

export function createModelConfig(
  db: Db,
  scope: ProjectScope,
  input: ModelConfigInput,
  actor: AuditActor,
): Promise<ModelConfigRecord> {
  return refusingTakenName("model configuration", input.name, () =>
    audited(db, actor, async (tx) => {
      const record = modelRecord(
        await tx.modelConfig.create({
          data: { projectId: scope.projectId, name: input.name, ...modelData(input), updatedBy: actor.label },
        }),
      );
      return {
        result: record,
        audit: configAudit("model_config", "created", scope, record, { after: modelSummary(record) }),
      };
    }),
  );
}

async function findModelRow(tx: Tx, projectId: string, name: string): Promise<ModelConfig> {
  const row = await tx.modelConfig.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) throw new NotFoundError(`no model configuration named "${name}" in this project`);
  return row;
}

/** Replaces every field of model configuration `name`; with `expectedUpdatedAt`, only if unchanged since. */
export function updateModelConfig(
  db: Db,
  scope: ProjectScope,
  name: string,
  input: Omit<ModelConfigInput, "name">,
  actor: AuditActor,
  expectedUpdatedAt?: Date,
): Promise<ModelConfigRecord> {
  return audited(db, actor, async (tx) => {
    const before = modelRecord(await findModelRow(tx, scope.projectId, name));
    const data = { ...modelData(input), updatedBy: actor.label };
    const written = await updateIfUnchanged(
      (where) => tx.modelConfig.updateMany({ where, data }),
      before.id,
      expectedUpdatedAt,
    );
    if (!written) throw staleError("model configuration", name, before.updatedAt);
    const after = modelRecord(await findModelRow(tx, scope.projectId, name));
    return {
      result: after,
      audit: configAudit("model_config", "updated", scope, after, {
        before: modelSummary(before),
        after: modelSummary(after),
      }),
    };
  });
}

export function removeModelConfig(
  db: Db,
  scope: ProjectScope,
  name: string,
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    const before = modelRecord(await findModelRow(tx, scope.projectId, name));
    const { count } = await tx.modelConfig.deleteMany({ where: { id: before.id } });
    if (count === 0) throw new NotFoundError(`no model configuration named "${name}" in this project`);
    return {
      result: undefined,
      audit: configAudit("model_config", "deleted", scope, before, { before: modelSummary(before) }),
    };
  });
}

export function createMetricConfig(
  db: Db,
  scope: ProjectScope,
  input: MetricConfigInput,
  actor: AuditActor,
): Promise<MetricConfigRecord> {
  return refusingTakenName("metric configuration", input.name, () =>
    audited(db, actor, async (tx) => {
      const record = metricRecord(
        await tx.metricConfig.create({
          data: {
            projectId: scope.projectId,
            name: input.name,
            ...metricData(input),
            updatedBy: actor.label,
          },
        }),
      );
      return {
        result: record,
        audit: configAudit("metric_config", "created", scope, record, { after: metricSummary(record) }),
      };
    }),
  );
}

async function findMetricRow(tx: Tx, projectId: string, name: string): Promise<MetricConfig> {
  const row = await tx.metricConfig.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) throw new NotFoundError(`no metric configuration named "${name}" in this project`);
  return row;
}

/** Replaces every field of metric configuration `name`; with `expectedUpdatedAt`, only if unchanged since. */
export function updateMetricConfig(
  db: Db,
  scope: ProjectScope,
  name: string,
  input: Omit<MetricConfigInput, "name">,
  actor: AuditActor,
  expectedUpdatedAt?: Date,
): Promise<MetricConfigRecord> {
  return audited(db, actor, async (tx) => {
    const before = metricRecord(await findMetricRow(tx, scope.projectId, name));
    const data = { ...metricData(input), updatedBy: actor.label };
    const written = await updateIfUnchanged(
      (where) => tx.metricConfig.updateMany({ where, data }),
      before.id,
      expectedUpdatedAt,
    );
    if (!written) throw staleError("metric configuration", name, before.updatedAt);
    const after = metricRecord(await findMetricRow(tx, scope.projectId, name));
    return {
      result: after,
      audit: configAudit("metric_config", "updated", scope, after, {
        before: metricSummary(before),
        after: metricSummary(after),
      }),
    };
  });
}

export function removeMetricConfig(
  db: Db,
  scope: ProjectScope,
  name: string,
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    const before = metricRecord(await findMetricRow(tx, scope.projectId, name));
    const { count } = await tx.metricConfig.deleteMany({ where: { id: before.id } });
    if (count === 0) throw new NotFoundError(`no metric configuration named "${name}" in this project`);
    return {
      result: undefined,
      audit: configAudit("metric_config", "deleted", scope, before, { before: metricSummary(before) }),
    };
  });
}
