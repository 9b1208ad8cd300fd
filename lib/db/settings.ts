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

// ---- The two kinds of configuration ------------------------------------------------------------------
// Model and metric configurations are stored, listed, changed and audited alike; what differs between
// them (their table, how input becomes columns and columns a record) is a ConfigKind.

type NameKey = { projectId_name: { projectId: string; name: string } };

/** The calls made on a configuration's table (`db.modelConfig`, `db.metricConfig`), typed loosely. */
interface ConfigTable<Row> {
  upsert(args: { where: NameKey; create: object; update: object }): Promise<Row>;
  create(args: { data: object }): Promise<Row>;
  findMany(args: { where: { projectId: string }; orderBy: { name: "asc" } }): Promise<Row[]>;
  findUnique(args: { where: NameKey }): Promise<Row | null>;
  updateMany(args: { where: { id: string; updatedAt?: Date }; data: object }): Promise<{ count: number }>;
  deleteMany(args: {
    where: { projectId: string; name: string } | { id: string };
  }): Promise<{ count: number }>;
}

interface ConfigKind<Row, Input extends { name: string }, Rec extends { id: string; name: string }> {
  /** As messages name it: "model configuration". */
  noun: string;
  audit: "model_config" | "metric_config";
  table(client: Db | Tx): ConfigTable<Row>;
  record(row: Row): Rec;
  columns(input: Omit<Input, "name">): object;
}

const MODEL: ConfigKind<ModelConfig, ModelConfigInput, ModelConfigRecord> = {
  noun: "model configuration",
  audit: "model_config",
  table: (client) => client.modelConfig as unknown as ConfigTable<ModelConfig>,
  record: modelRecord,
  columns: modelData,
};

const METRIC: ConfigKind<MetricConfig, MetricConfigInput, MetricConfigRecord> = {
  noun: "metric configuration",
  audit: "metric_config",
  table: (client) => client.metricConfig as unknown as ConfigTable<MetricConfig>,
  record: metricRecord,
  columns: metricData,
};

/** Creates or replaces (every field, absent optional ones reset) the configuration `input.name`. */
async function upsertConfig<R, I extends { name: string }, C extends { id: string; name: string }>(
  kind: ConfigKind<R, I, C>,
  db: Db,
  projectId: string,
  input: I,
): Promise<C> {
  const { name, ...rest } = input;
  const data = kind.columns(rest);
  const row = await retryOnUniqueViolation(() =>
    kind.table(db).upsert({
      where: { projectId_name: { projectId, name } },
      create: { projectId, name, ...data },
      update: data,
    }),
  );
  return kind.record(row);
}

async function listConfigs<R, C extends { id: string; name: string }>(
  kind: ConfigKind<R, { name: string }, C>,
  db: Db,
  projectId: string,
): Promise<C[]> {
  const rows = await kind.table(db).findMany({ where: { projectId }, orderBy: { name: "asc" } });
  return rows.map(kind.record);
}

async function getConfig<R, C extends { id: string; name: string }>(
  kind: ConfigKind<R, { name: string }, C>,
  db: Db,
  projectId: string,
  name: string,
): Promise<C | null> {
  const row = await kind.table(db).findUnique({ where: { projectId_name: { projectId, name } } });
  return row ? kind.record(row) : null;
}

/** True when a configuration was deleted. */
async function deleteConfig<R>(
  kind: ConfigKind<R, { name: string }, { id: string; name: string }>,
  db: Db,
  projectId: string,
  name: string,
): Promise<boolean> {
  const { count } = await kind.table(db).deleteMany({ where: { projectId, name } });
  return count > 0;
}

export const upsertModelConfig = (db: Db, projectId: string, input: ModelConfigInput) =>
  upsertConfig(MODEL, db, projectId, input);
export const listModelConfigs = (db: Db, projectId: string) => listConfigs(MODEL, db, projectId);
export const getModelConfig = (db: Db, projectId: string, name: string) =>
  getConfig(MODEL, db, projectId, name);
export const deleteModelConfig = (db: Db, projectId: string, name: string) =>
  deleteConfig(MODEL, db, projectId, name);

export const upsertMetricConfig = (db: Db, projectId: string, input: MetricConfigInput) =>
  upsertConfig(METRIC, db, projectId, input);
export const listMetricConfigs = (db: Db, projectId: string) => listConfigs(METRIC, db, projectId);
export const getMetricConfig = (db: Db, projectId: string, name: string) =>
  getConfig(METRIC, db, projectId, name);
export const deleteMetricConfig = (db: Db, projectId: string, name: string) =>
  deleteConfig(METRIC, db, projectId, name);

// ---- Audited changes (the API and the settings page) ------------------------------------------------

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

/** What an audit entry shows of a configuration (it holds no secret: a model's `credential` is a name). */
function summary(record: object): Record<string, unknown> {
  const {
    id: _id,
    projectId: _p,
    createdAt: _c,
    updatedAt: _u,
    updatedBy: _b,
    ...rest
  } = record as Record<string, unknown>;
  return rest;
}

/** Creates configuration `input.name`: a 409 when the name is taken. */
function createConfig<R, I extends { name: string }, C extends { id: string; name: string }>(
  kind: ConfigKind<R, I, C>,
  db: Db,
  scope: ProjectScope,
  input: I,
  actor: AuditActor,
): Promise<C> {
  const { name, ...rest } = input;
  return refusingTakenName(kind.noun, name, () =>
    audited(db, actor, async (tx) => {
      const record = kind.record(
        await kind.table(tx).create({
          data: { projectId: scope.projectId, name, ...kind.columns(rest), updatedBy: actor.label },
        }),
      );
      return {
        result: record,
        audit: configAudit(kind.audit, "created", scope, record, { after: summary(record) }),
      };
    }),
  );
}

async function findConfigRow<R>(
  kind: ConfigKind<R, { name: string }, { id: string; name: string }>,
  tx: Tx,
  projectId: string,
  name: string,
): Promise<R> {
  const row = await kind.table(tx).findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) throw new NotFoundError(`no ${kind.noun} named "${name}" in this project`);
  return row;
}

/** Replaces every field of configuration `name`; with `expectedUpdatedAt`, only if unchanged since. */
function updateConfig<R, I extends { name: string }, C extends { id: string; name: string; updatedAt: Date }>(
  kind: ConfigKind<R, I, C>,
  db: Db,
  scope: ProjectScope,
  name: string,
  input: Omit<I, "name">,
  actor: AuditActor,
  expectedUpdatedAt?: Date,
): Promise<C> {
  return audited(db, actor, async (tx) => {
    const before = kind.record(await findConfigRow(kind, tx, scope.projectId, name));
    const data = { ...kind.columns(input), updatedBy: actor.label };
    const written = await updateIfUnchanged(
      (where) => kind.table(tx).updateMany({ where, data }),
      before.id,
      expectedUpdatedAt,
    );
    if (!written) throw staleError(kind.noun, name, before.updatedAt);
    const after = kind.record(await findConfigRow(kind, tx, scope.projectId, name));
    return {
      result: after,
      audit: configAudit(kind.audit, "updated", scope, after, {
        before: summary(before),
        after: summary(after),
      }),
    };
  });
}

function removeConfig<R, C extends { id: string; name: string }>(
  kind: ConfigKind<R, { name: string }, C>,
  db: Db,
  scope: ProjectScope,
  name: string,
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    const before = kind.record(await findConfigRow(kind, tx, scope.projectId, name));
    const { count } = await kind.table(tx).deleteMany({ where: { id: before.id } });
    if (count === 0) throw new NotFoundError(`no ${kind.noun} named "${name}" in this project`);
    return {
      result: undefined,
      audit: configAudit(kind.audit, "deleted", scope, before, { before: summary(before) }),
    };
  });
}

export const createModelConfig = (db: Db, scope: ProjectScope, input: ModelConfigInput, actor: AuditActor) =>
  createConfig(MODEL, db, scope, input, actor);
export const updateModelConfig = (
  db: Db,
  scope: ProjectScope,
  name: string,
  input: Omit<ModelConfigInput, "name">,
  actor: AuditActor,
  expectedUpdatedAt?: Date,
) => updateConfig(MODEL, db, scope, name, input, actor, expectedUpdatedAt);
export const removeModelConfig = (db: Db, scope: ProjectScope, name: string, actor: AuditActor) =>
  removeConfig(MODEL, db, scope, name, actor);

export const createMetricConfig = (
  db: Db,
  scope: ProjectScope,
  input: MetricConfigInput,
  actor: AuditActor,
) => createConfig(METRIC, db, scope, input, actor);
export const updateMetricConfig = (
  db: Db,
  scope: ProjectScope,
  name: string,
  input: Omit<MetricConfigInput, "name">,
  actor: AuditActor,
  expectedUpdatedAt?: Date,
) => updateConfig(METRIC, db, scope, name, input, actor, expectedUpdatedAt);
export const removeMetricConfig = (db: Db, scope: ProjectScope, name: string, actor: AuditActor) =>
  removeConfig(METRIC, db, scope, name, actor);
