// ML settings of a project: named model and metric configurations (list, create, update, delete; editors
// write, viewers read), and their use by the engine: a task file's `{ config: "<name>" }` references are
// resolved here into the inline configurations every stored run executes from.
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError, NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  createMetricConfig,
  createModelConfig,
  type Db,
  getMetricConfig,
  getModelConfig,
  getProjectBySlug,
  getProjectCostConfirmation,
  listCredentialStatuses,
  listMetricConfigs,
  listModelConfigs,
  type MetricConfigInput,
  type MetricConfigRecord,
  type ModelConfigInput,
  type ModelConfigRecord,
  removeMetricConfig,
  removeModelConfig,
  setProjectCostConfirmation,
  updateMetricConfig,
  updateModelConfig,
} from "@/lib/db";
import { MetricConfigError } from "@/lib/metrics/errors";
import { isMetricName, metricNames, parseMetricOptions } from "@/lib/metrics/registry";
import type { ValidationIssue } from "@/lib/validation/common";
import {
  type CostConfirmation,
  type CostConfirmationBody,
  type CreateMetricConfigBody,
  type CreateModelConfigBody,
  DEFAULT_CONFIRM_ABOVE_USD,
  type UpdateMetricConfigBody,
  type UpdateModelConfigBody,
} from "@/lib/validation/ml-settings";
import {
  isConfigRef,
  type MetricConfig,
  type ModelConfig,
  type TaskFileSource,
} from "@/lib/validation/task-file";

/** A model configuration as the API shows it. */
export interface ModelConfigView {
  name: string;
  model: string;
  credential: string | null;
  params: ModelConfigRecord["params"];
  price: { input: number; output: number } | null;
  concurrency: number;
  rateLimit: { requestsPerMinute?: number; tokensPerMinute?: number };
  timeoutMs: number | null;
  maxRetries: number | null;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

export type MetricConfigView = Omit<MetricConfigRecord, "id" | "projectId">;

function priceOf(record: ModelConfigRecord): { input: number; output: number } | null {
  return record.priceInputPerMTok !== null && record.priceOutputPerMTok !== null
    ? { input: record.priceInputPerMTok, output: record.priceOutputPerMTok }
    : null;
}

function rateLimitOf(record: ModelConfigRecord): ModelConfigView["rateLimit"] {
  return {
    ...(record.requestsPerMinute !== null ? { requestsPerMinute: record.requestsPerMinute } : {}),
    ...(record.tokensPerMinute !== null ? { tokensPerMinute: record.tokensPerMinute } : {}),
  };
}

export function modelConfigView(record: ModelConfigRecord): ModelConfigView {
  return {
    name: record.name,
    model: record.modelId,
    credential: record.credential,
    params: record.params,
    price: priceOf(record),
    concurrency: record.concurrency,
    rateLimit: rateLimitOf(record),
    timeoutMs: record.timeoutMs,
    maxRetries: record.maxRetries,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}

export function metricConfigView(record: MetricConfigRecord): MetricConfigView {
  const { id: _id, projectId: _projectId, ...view } = record;
  return view;
}

const scopeOf = (access: ProjectAccess) => ({
  projectId: access.project.id,
  organizationId: access.project.organization.id,
});

function bodyError(issues: ValidationIssue[]): InputError {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new InputError(`Invalid body.${first?.path}: ${first?.message}${more}`, { issues });
}

function modelInput(body: Omit<CreateModelConfigBody, "name">): Omit<ModelConfigInput, "name"> {
  return {
    modelId: body.model,
    credential: body.credential,
    params: body.params,
    priceInputPerMTok: body.price?.input ?? null,
    priceOutputPerMTok: body.price?.output ?? null,
    concurrency: body.concurrency,
    requestsPerMinute: body.rateLimit.requestsPerMinute ?? null,
    tokensPerMinute: body.rateLimit.tokensPerMinute ?? null,
    timeoutMs: body.timeoutMs,
    maxRetries: body.maxRetries,
  };
}

/** A named credential must exist in the project and be of the model's provider (400 naming `credential`). */
async function checkCredentialRef(
  db: Db,
  projectId: string,
  body: { model: string; credential: string | null },
) {
  if (!body.credential) return;
  const stored = (await listCredentialStatuses(db, projectId)).find((c) => c.name === body.credential);
  const provider = body.model.slice(0, body.model.indexOf(":"));
  const message = !stored
    ? `no credential named "${body.credential}" in this project (admins store them under Provider credentials)`
    : stored.provider !== provider
      ? `"${body.credential}" is a ${stored.provider} credential; the model "${body.model}" needs a ${provider} one`
      : null;
  if (message) throw bodyError([{ in: "body", path: "credential", message }]);
}

/** The metric must be registered and its options valid (400 naming `metric` or `options.<field>`). */
function metricInput(body: Omit<CreateMetricConfigBody, "name">): Omit<MetricConfigInput, "name"> {
  if (!isMetricName(body.metric)) {
    throw bodyError([
      { in: "body", path: "metric", message: `unknown metric; known metrics: ${metricNames.join(", ")}` },
    ]);
  }
  try {
    parseMetricOptions(body.metric, body.options);
  } catch (error) {
    if (!(error instanceof MetricConfigError)) throw error;
    throw bodyError(
      error.issues.map((issue) => ({
        in: "body" as const,
        path: issue.field ? `options.${issue.field}` : "options",
        message: issue.message,
      })),
    );
  }
  // The options as sent (defaults are applied when a run starts, so later default changes apply too).
  return { metric: body.metric, options: body.options, weight: body.weight, target: body.target };
}

const expected = (body: { expectedUpdatedAt?: string }) =>
  body.expectedUpdatedAt ? new Date(body.expectedUpdatedAt) : undefined;

// ---- Model configurations ---------------------------------------------------------------------------

export async function listProjectModelConfigs(db: Db, access: ProjectAccess): Promise<ModelConfigView[]> {
  return (await listModelConfigs(db, access.project.id)).map(modelConfigView);
}

export async function getProjectModelConfig(
  db: Db,
  access: ProjectAccess,
  name: string,
): Promise<ModelConfigView> {
  const record = await getModelConfig(db, access.project.id, name);
  if (!record) throw notFound("model", name);
  return modelConfigView(record);
}

export async function createProjectModelConfig(
  db: Db,
  access: ProjectAccess,
  body: CreateModelConfigBody,
  actor: AuditActor,
): Promise<ModelConfigView> {
  await checkCredentialRef(db, access.project.id, body);
  return modelConfigView(
    await createModelConfig(db, scopeOf(access), { name: body.name, ...modelInput(body) }, actor),
  );
}

export async function updateProjectModelConfig(
  db: Db,
  access: ProjectAccess,
  name: string,
  body: UpdateModelConfigBody,
  actor: AuditActor,
): Promise<ModelConfigView> {
  await checkCredentialRef(db, access.project.id, body);
  return modelConfigView(
    await updateModelConfig(db, scopeOf(access), name, modelInput(body), actor, expected(body)),
  );
}

export function deleteProjectModelConfig(db: Db, access: ProjectAccess, name: string, actor: AuditActor) {
  return removeModelConfig(db, scopeOf(access), name, actor);
}

// ---- Metric configurations --------------------------------------------------------------------------

export async function listProjectMetricConfigs(db: Db, access: ProjectAccess): Promise<MetricConfigView[]> {
  return (await listMetricConfigs(db, access.project.id)).map(metricConfigView);
}

export async function getProjectMetricConfig(
  db: Db,
  access: ProjectAccess,
  name: string,
): Promise<MetricConfigView> {
  const record = await getMetricConfig(db, access.project.id, name);
  if (!record) throw notFound("metric", name);
  return metricConfigView(record);
}

export async function createProjectMetricConfig(
  db: Db,
  access: ProjectAccess,
  body: CreateMetricConfigBody,
  actor: AuditActor,
): Promise<MetricConfigView> {
  return metricConfigView(
    await createMetricConfig(db, scopeOf(access), { name: body.name, ...metricInput(body) }, actor),
  );
}

export async function updateProjectMetricConfig(
  db: Db,
  access: ProjectAccess,
  name: string,
  body: UpdateMetricConfigBody,
  actor: AuditActor,
): Promise<MetricConfigView> {
  return metricConfigView(
    await updateMetricConfig(db, scopeOf(access), name, metricInput(body), actor, expected(body)),
  );
}

export function deleteProjectMetricConfig(db: Db, access: ProjectAccess, name: string, actor: AuditActor) {
  return removeMetricConfig(db, scopeOf(access), name, actor);
}

function notFound(kind: "model" | "metric", name: string): NotFoundError {
  return new NotFoundError(`no ${kind} configuration named "${name}" in this project`);
}

// ---- Use by the engine ------------------------------------------------------------------------------

/** A stored model configuration as a task file's inline model (what a run stores and executes). */
export function modelConfigForTask(record: ModelConfigRecord): Partial<ModelConfig> & { id: string } {
  const price = priceOf(record);
  const rateLimit = rateLimitOf(record);
  return {
    id: record.modelId,
    ...(record.credential ? { credential: record.credential } : {}),
    concurrency: record.concurrency,
    params: record.params,
    ...(price ? { price } : {}),
    ...(Object.keys(rateLimit).length > 0 ? { rateLimit } : {}),
    ...(record.timeoutMs !== null ? { timeoutMs: record.timeoutMs } : {}),
    ...(record.maxRetries !== null ? { maxRetries: record.maxRetries } : {}),
  };
}

/** A stored metric configuration as a task file's inline metric. */
export function metricConfigForTask(record: MetricConfigRecord): MetricConfig {
  return { name: record.metric, options: record.options, weight: record.weight };
}

/** Where a task file's references could not be resolved: `{ path, message }` per reference. */
export interface ConfigRefIssue {
  path: string;
  message: string;
}

/**
 * Replaces every `{ config: "<name>" }` of a task file (models.task, models.optimizer, metrics.N) with
 * the stored configuration of project `projectSlug` (the CLI's is "default"). Returns the task file
 * with inline configurations (to be parsed with `taskFileSchema`), or the issues naming each reference
 * that does not resolve.
 */
export async function resolveTaskFileConfigs(
  db: Db,
  projectSlug: string,
  source: TaskFileSource,
): Promise<{ task: Record<string, unknown>; issues: ConfigRefIssue[] }> {
  const issues: ConfigRefIssue[] = [];
  const refs = [source.models.task, source.models.optimizer, ...source.metrics].filter(isConfigRef);
  if (refs.length === 0) return { task: source, issues };
  const project = await getProjectBySlug(db, projectSlug);
  const where = `in project "${projectSlug}"`;
  const model = async (value: TaskFileSource["models"]["task"], path: string) => {
    if (!isConfigRef(value)) return value;
    const record = project ? await getModelConfig(db, project.id, value.config) : null;
    if (record) return modelConfigForTask(record);
    issues.push({
      path: `${path}.config`,
      message: `no model configuration named "${value.config}" ${where}`,
    });
    return value;
  };
  const metrics = await Promise.all(
    source.metrics.map(async (value, i) => {
      if (!isConfigRef(value)) return value;
      const record = project ? await getMetricConfig(db, project.id, value.config) : null;
      if (record) return metricConfigForTask(record);
      issues.push({
        path: `metrics.${i}.config`,
        message: `no metric configuration named "${value.config}" ${where}`,
      });
      return value;
    }),
  );
  const models = {
    task: await model(source.models.task, "models.task"),
    optimizer: await model(source.models.optimizer, "models.optimizer"),
  };
  return { task: { ...source, models, metrics }, issues };
}

// ---- Cost confirmation --------------------------------------------------------------------------------
// The amount above which a run on a paid model asks for confirmation (Project.costConfirmAboveUsd; null
// keeps the default). Each change is audited in the same transaction.

export async function getCostConfirmation(db: Db, access: ProjectAccess): Promise<CostConfirmation> {
  const stored = await getProjectCostConfirmation(db, access.project.id);
  return stored === null
    ? { confirmAboveUsd: DEFAULT_CONFIRM_ABOVE_USD, isDefault: true }
    : { confirmAboveUsd: stored, isDefault: false };
}

export async function setCostConfirmation(
  db: Db,
  access: ProjectAccess,
  body: CostConfirmationBody,
  actor: AuditActor,
): Promise<CostConfirmation> {
  const before = await getCostConfirmation(db, access);
  await setProjectCostConfirmation(db, access.project, body.confirmAboveUsd, before.confirmAboveUsd, actor);
  return { confirmAboveUsd: body.confirmAboveUsd, isDefault: false };
}
