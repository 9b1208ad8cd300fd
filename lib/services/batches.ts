// Batches (issue 5, item 2): run one prompt version of a task over rows — a dataset version, or an
// uploaded CSV/JSONL file streamed in — with one task model, one output per row. What the API, the page
// and the CLI call: create (check, stream the rows in, queue), list, read, cancel, page the rows, download
// the results. Execution (chunks as durable steps, resume, cancel): ./batch-execution.ts.
//
// Creating a batch never holds the file or the dataset whole: an upload is spooled to a temporary file
// (size-limited), its rows are parsed as they are read and inserted a hundred at a time, in the one
// transaction that creates the batch. Every template variable of the prompt version must be present and
// non-empty in every row: a row that lacks one, or does not parse, is malformed — policy "stop" refuses
// the batch (400 naming the file and row; the transaction rolls back, nothing is stored), policy "skip"
// leaves the row out and records it (BatchIssue, skippedRows, the first 20 in the answer).
import { rm } from "node:fs/promises";
import type { ProjectAccess } from "@/lib/auth/principal";
import { csvLine } from "@/lib/core/csv";
import { AppError, InputError, NotFoundError, PayloadTooLargeError } from "@/lib/core/errors";
import { promptVariables } from "@/lib/core/prompt";
import type { PromptState, Variables } from "@/lib/core/types";
import {
  type AuditActor,
  type BatchItem,
  type BatchRecord,
  type BatchRowFilter,
  cancelProjectBatch,
  type Db,
  finishActiveBatch,
  getLatestPromptVersion,
  getProjectBatch,
  getProjectDatasetVersion,
  getPromptVersion,
  iterateBatchRows,
  iterateExamples,
  type LatencySummary,
  listBatchIssues,
  type Page,
  type PageCursor,
  pageBatchRowRecords,
  pageProjectBatches,
  type StoredBatchRow,
  type Tx,
  writeBatch,
} from "@/lib/db";
import { parseModelId } from "@/lib/llm/model-id";
import type { Env } from "@/lib/llm/providers/index";
import { activeRunner, cancelBatchExecution, dispatchBatch, type RunnerName } from "@/lib/runner/index";
import {
  type BatchSpec,
  type BatchSpecInput,
  type BatchStatus,
  batchSpecSchema,
  type MalformedPolicy,
  type OperatorBatchSpecInput,
  operatorBatchSpecSchema,
} from "@/lib/validation/batches";
import type { ValidationIssue } from "@/lib/validation/common";
import { validationError } from "@/lib/validation/parse";
import { appModelConfigSchema } from "@/lib/validation/runs";
import { cacheConfigSchema, type ModelConfig, modelConfigSchema } from "@/lib/validation/task-file";
import { embeddedBatchExecutor, heapBudget } from "./batch-execution";
import {
  type ConfigAuthor,
  CredentialProblem,
  checkModelsBuild,
  resolveProviderCredentials,
} from "./credentials/for-models";
import { asText, type DatasetFormat, readDatasetItems } from "./dataset-file";
import { maxUploadBytes, spoolUpload, textOf, uploadFormat } from "./dataset-upload";
import { type FileDownload, fileDownload, safeFileName } from "./file-download";
import { checkModelId, findProjectTask, modelFromRef, SpecRefProblem } from "./spec-refs";

export type { BatchSpecInput } from "@/lib/validation/batches";

/** An uploaded file: the raw request body, streamed (never held whole). */
export interface BatchUpload {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | null;
  contentLength: string | null;
  /** The file's name (shown as the source; its extension gives the format). */
  filename?: string;
  /** csv or jsonl; default: from `filename`, else from `contentType`. */
  format?: "csv" | "jsonl";
}

/** What the runner is handed: the batch and its flow-control keys. */
export interface BatchDispatch {
  batchId: string;
  projectId: string;
  /** The task model's provider: Inngest's concurrency key. */
  provider: string;
}

export interface BatchServiceOptions {
  /** Default: `activeRunner()` (STROP_RUNNER, INNGEST_EVENT_KEY, INNGEST_DEV). */
  runner?: RunnerName;
  /** Where credentials are looked up (default process.env). */
  env?: Env;
  /** Hands the stored batch to something else than the active runner (tests, the CLI). */
  dispatch?: (batch: BatchDispatch) => Promise<void>;
  /** Upload size limit (default STROP_MAX_UPLOAD_BYTES, else 50 MB). */
  maxBytes?: number;
}

export interface BatchIssueView {
  /** 1-based data row of the source (null: the file as a whole). */
  row: number | null;
  message: string;
}

export interface CreatedBatch {
  id: string;
  status: BatchStatus;
  runner: RunnerName;
  /** Rows stored to process (skipped rows not included). */
  totalRows: number;
  skippedRows: number;
  /** Skipped rows (first 20). */
  issues: BatchIssueView[];
}

export interface BatchSummary {
  id: string;
  status: BatchStatus;
  taskName: string;
  promptVersion: number;
  source: "dataset" | "file";
  sourceName: string;
  modelId: string;
  totalRows: number;
  /** Rows finished, with an output or an error. */
  doneRows: number;
  /** Finished rows whose call failed (the error is recorded on the row). */
  failedRows: number;
  /** Malformed rows left out (policy "skip"). */
  skippedRows: number;
  /** Gateway calls (cache hits included). */
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface BatchProgress {
  /** doneRows / totalRows (1 when there are no rows). */
  fraction: number;
  chunks: number;
  elapsedMs: number | null;
  etaMs: number | null;
  rowsPerSecond: number | null;
}

export interface BatchDetail extends BatchSummary {
  taskId: string;
  promptVersionId: string;
  datasetVersionId: string | null;
  /** The resolved model configuration the batch calls. */
  model: Record<string, unknown>;
  chunkSize: number;
  onMalformedRow: MalformedPolicy;
  /** Input columns of the rows, in source order. */
  columns: string[];
  progress: BatchProgress;
  /** Skipped rows (first 20). */
  issues: BatchIssueView[];
  issueCount: number;
  /** Provider requests the gateway retried. */
  retries: number;
  /** Latency of the rows' calls, once the batch finished. */
  latency: LatencySummary | null;
}

export type BatchRowStatus = "pending" | "done" | "failed";

export interface BatchRowView {
  rowNumber: number;
  key: string;
  input: Record<string, string>;
  status: BatchRowStatus;
  output: string | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
}

export type BatchRowsView = BatchRowFilter;

/** A page of rows in row order; `nextCursor` (opaque) continues it, null on the last page. */
export interface BatchRowPage {
  items: BatchRowView[];
  nextCursor: string | null;
}

// ---- checking a spec ---------------------------------------------------------------------------------------

type Location = ValidationIssue["in"];

function fieldError(location: Location, path: string, message: string, details: object = {}): InputError {
  return new InputError(`Invalid ${location}.${path}: ${message}`, {
    issues: [{ in: location, path, message }],
    ...details,
  });
}

/** Renames the fields an InputError names (the CLI speaks of its flags, not of body fields). */
function relabel(error: unknown, location: Location, label: (field: string) => string): unknown {
  if (!(error instanceof InputError)) return error;
  const issues = (error.details as { issues?: { path: string }[] } | undefined)?.issues;
  const field = issues?.[0]?.path;
  const prefix = field !== undefined ? `Invalid ${location}.${field}: ` : null;
  if (!field || !prefix || !error.message.startsWith(prefix)) return error;
  const top = field.split(".")[0]!;
  const renamed = `${label(top)}${field.slice(top.length)}`;
  return new InputError(`Invalid ${renamed}: ${error.message.slice(prefix.length)}`, error.details);
}

/**
 * The spec, checked; a bad inline model is reported at its own field (`model.concurrency`, …). Only
 * `strop batch` (the operator's task file) may give an inline model an endpoint or a key variable.
 */
function parseSpec(spec: unknown, location: Location, author: ConfigAuthor): BatchSpec {
  const parsed = (author === "operator" ? operatorBatchSpecSchema : batchSpecSchema).safeParse(spec);
  if (parsed.success) return parsed.data as BatchSpec;
  const model = (spec as { model?: unknown } | null)?.model;
  if (model !== null && typeof model === "object") {
    const inline = (author === "operator" ? modelConfigSchema : appModelConfigSchema).safeParse(model);
    if (!inline.success) {
      const issue = inline.error.issues[0]!;
      const path = ["model", ...issue.path.map(String)].join(".");
      throw fieldError(location, path, issue.message);
    }
  }
  throw validationError(location, parsed.error);
}

/** A SpecRefProblem from `fn` as bad input naming `field`. */
async function naming<T>(location: Location, field: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SpecRefProblem) throw fieldError(location, field, error.message);
    throw error;
  }
}

/** A model configuration's name, a "provider:model" id or an inline configuration, checked completely. */
async function resolveModel(
  db: Db,
  projectId: string,
  ref: unknown,
  location: Location,
  author: ConfigAuthor,
): Promise<ModelConfig> {
  const candidate = await naming(location, "model", () => modelFromRef(db, projectId, ref));
  const parsed = (author === "operator" ? modelConfigSchema : appModelConfigSchema).safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fieldError(location, ["model", ...issue.path.map(String)].join("."), issue.message);
  }
  const model = parsed.data;
  await naming(location, "model", () => checkModelId(model.id));
  return model;
}

interface ResolvedSpec {
  spec: BatchSpec;
  task: { id: string; name: string };
  version: { id: string; version: number; prompt: PromptState };
  variables: string[];
  model: ModelConfig;
  cache: { enabled: boolean; ttlSeconds: number };
}

/** A CredentialProblem from `fn` as bad input naming its field at `location`. */
async function credentialNaming<T>(location: Location, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CredentialProblem) throw fieldError(location, error.path, error.reason);
    throw error;
  }
}

async function resolveSpec(
  db: Db,
  projectId: string,
  spec: BatchSpec,
  location: Location,
  env: Env,
  author: ConfigAuthor,
): Promise<ResolvedSpec> {
  const task = await naming(location, "task", () => findProjectTask(db, projectId, spec.task));
  const version =
    spec.promptVersion !== undefined
      ? await getPromptVersion(db, task.id, spec.promptVersion)
      : await getLatestPromptVersion(db, task.id);
  if (!version) {
    throw fieldError(
      location,
      "promptVersion",
      spec.promptVersion !== undefined
        ? `task "${task.name}" has no prompt version ${spec.promptVersion}`
        : `task "${task.name}" has no prompt version yet`,
    );
  }
  const prompt: PromptState = {
    systemPrompt: version.systemPrompt,
    outputPrompt: version.outputPrompt,
    demos: version.demos,
    params: version.params,
  };
  const variables = promptVariables(prompt);
  if (variables.length === 0) {
    throw fieldError(
      location,
      "promptVersion",
      `prompt version ${version.version} of "${task.name}" uses no {{variable}}: every row would get the same call`,
    );
  }
  for (const [i, demo] of prompt.demos.entries()) {
    const missing = variables.find((v) => demo.input[v] === undefined);
    if (missing)
      throw fieldError(
        location,
        "promptVersion",
        `demo ${i + 1} of version ${version.version} lacks "${missing}"`,
      );
  }
  const model = await resolveModel(db, projectId, spec.model, location, author);
  await credentialNaming(location, async () => {
    const models = [{ path: "model", model }];
    checkModelsBuild(models, await resolveProviderCredentials(db, projectId, models, { author, env }));
  });
  const cache = cacheConfigSchema.parse(spec.cache ?? {});
  return {
    spec,
    task: { id: task.id, name: task.name },
    version: { id: version.id, version: version.version, prompt },
    variables,
    model,
    cache,
  };
}

// ---- reading rows in -----------------------------------------------------------------------------------------

/** Where the rows of a new batch come from. */
export type BatchRowsSource =
  | { kind: "dataset"; datasetVersionId: string }
  /** A file on disk (an upload spooled, or the CLI's input); `label` names it in messages. */
  | { kind: "file"; path: string; format: "csv" | "jsonl"; label: string };

const missingVariables = (input: Variables, variables: string[]) =>
  variables.filter((v) => input[v] === undefined || input[v].trim() === "");

function describeMissing(missing: string[]): string {
  const names = missing.map((v) => `"${v}"`).join(", ");
  return `template variable${missing.length > 1 ? "s" : ""} ${names} ${missing.length > 1 ? "are" : "is"} missing or empty`;
}

/**
 * A malformed row: under "skip" an issue to record, under "stop" the error that refuses the batch
 * (naming the source and row; nothing is stored).
 */
function malformed(
  policy: MalformedPolicy,
  label: string,
  row: number,
  line: number | null,
  message: string,
): BatchItem {
  const where = `${label} row ${row}${line !== null ? ` (line ${line})` : ""}`;
  if (policy === "stop") {
    throw new InputError(
      `${where}: ${message}; nothing was stored (onMalformedRow is "stop": fix the row, or use "skip" to leave malformed rows out)`,
      { row, line, problems: [{ row, line, message }] },
    );
  }
  return { kind: "issue", rowNumber: row, line, message };
}

async function* fileItems(
  source: Extract<BatchRowsSource, { kind: "file" }>,
  variables: string[],
  policy: MalformedPolicy,
  columns: string[],
): AsyncGenerator<BatchItem> {
  const known = new Set<string>();
  const onHeader = (header: string[]) => {
    columns.push(...header);
    const absent = variables.filter((v) => !header.includes(v));
    if (absent.length > 0) {
      const names = absent.map((v) => `"${v}"`).join(", ");
      const message = `no column for template variable${absent.length > 1 ? "s" : ""} ${names} (its columns: ${header.map((c) => `"${c}"`).join(", ")})`;
      throw new InputError(`${source.label}: ${message}; nothing was stored`, {
        problems: [{ row: null, line: 1, message }],
      });
    }
  };
  const format: DatasetFormat = source.format;
  const paceHeap = heapBudget();
  for await (const item of readDatasetItems(textOf(source.path, source.label), format, source.label, {
    onHeader,
  })) {
    if (item.row % 256 === 0) paceHeap();
    if ("problem" in item) {
      yield malformed(policy, source.label, item.row, item.line, item.problem);
      continue;
    }
    const input: Variables = {};
    for (const [name, raw] of Object.entries(item.values)) {
      const value = asText(raw);
      if (value !== undefined) input[name] = value;
      if (format !== "csv" && !known.has(name)) {
        known.add(name);
        columns.push(name);
      }
    }
    const missing = missingVariables(input, variables);
    if (missing.length > 0)
      yield malformed(policy, source.label, item.row, item.line, describeMissing(missing));
    else yield { kind: "row", rowNumber: item.row, key: String(item.row), input };
  }
}

async function* datasetItems(
  tx: Tx,
  datasetVersionId: string,
  label: string,
  variables: string[],
  policy: MalformedPolicy,
): AsyncGenerator<BatchItem> {
  const paceHeap = heapBudget();
  for await (const example of iterateExamples(tx, datasetVersionId, 500)) {
    if (example.rowNumber % 256 === 0) paceHeap();
    const missing = missingVariables(example.input, variables);
    if (missing.length > 0) yield malformed(policy, label, example.rowNumber, null, describeMissing(missing));
    else yield { kind: "row", rowNumber: example.rowNumber, key: example.id, input: example.input };
  }
}

export interface StoreBatchOptions extends BatchServiceOptions {
  actor: AuditActor;
  /** "cli": resumed with `strop batch --resume`, not when the app starts. Default "api". */
  origin?: "api" | "cli";
  /** Where a bad field is reported (query for uploads, body otherwise). Default "body". */
  location?: Location;
  /** How messages name a spec field (default `<location>.<field>`; the CLI names its flags). */
  fieldLabel?: (field: string) => string;
}

/**
 * Checks a batch spec and stores the batch with its rows (read from `rows`), then hands it to the runner
 * (or `options.dispatch`). The one path of the API (`createBatch`) and the CLI (`strop batch`).
 */
export async function createProjectBatch(
  db: Db,
  project: { id: string; organizationId: string },
  specInput: BatchSpecInput | OperatorBatchSpecInput,
  rows: BatchRowsSource,
  options: StoreBatchOptions,
): Promise<CreatedBatch> {
  const label = options.fieldLabel;
  if (!label) return storeBatch(db, project, specInput, rows, options);
  try {
    return await storeBatch(db, project, specInput, rows, options);
  } catch (error) {
    throw relabel(error, options.location ?? "body", label);
  }
}

async function storeBatch(
  db: Db,
  project: { id: string; organizationId: string },
  specInput: BatchSpecInput | OperatorBatchSpecInput,
  rows: BatchRowsSource,
  options: StoreBatchOptions,
): Promise<CreatedBatch> {
  const location = options.location ?? "body";
  const env = options.env ?? process.env;
  const author: ConfigAuthor = options.origin === "cli" ? "operator" : "project";
  const spec = parseSpec(specInput, location, author);
  const resolved = await resolveSpec(db, project.id, spec, location, env, author);
  const policy = spec.onMalformedRow;
  const columns: string[] = [];
  let sourceName: string;
  let items: (tx: Tx) => AsyncIterable<BatchItem>;
  if (rows.kind === "dataset") {
    const dataset = await getProjectDatasetVersion(db, project.id, rows.datasetVersionId);
    if (!dataset)
      throw fieldError(
        location,
        "datasetVersionId",
        `no dataset version "${rows.datasetVersionId}" in this project`,
      );
    sourceName = `dataset "${dataset.datasetName}" v${dataset.version}`;
    const absent = resolved.variables.filter((v) => !(dataset.inputColumns ?? dataset.columns).includes(v));
    if (absent.length > 0) {
      throw fieldError(
        location,
        "datasetVersionId",
        `${sourceName} has no input column for template variable${absent.length > 1 ? "s" : ""} ${absent.map((v) => `"${v}"`).join(", ")}`,
      );
    }
    columns.push(
      ...(dataset.inputColumns ??
        dataset.columns.filter((c) => c !== dataset.expectedColumn && c !== dataset.idColumn)),
    );
    const label = sourceName;
    items = (tx) => datasetItems(tx, dataset.id, label, resolved.variables, policy);
  } else {
    sourceName = rows.label;
    items = () => fileItems(rows, resolved.variables, policy, columns);
  }
  const written = await writeBatch(
    db,
    options.actor,
    {
      projectId: project.id,
      organizationId: project.organizationId,
      taskId: resolved.task.id,
      promptVersionId: resolved.version.id,
      source: rows.kind,
      datasetVersionId: rows.kind === "dataset" ? rows.datasetVersionId : null,
      sourceName,
      model: resolved.model as unknown as Record<string, unknown>,
      cache: resolved.cache,
      chunkSize: spec.chunkSize,
      malformedPolicy: policy,
      origin: options.origin ?? "api",
      createdBy: options.actor.label,
      taskName: resolved.task.name,
      promptVersion: resolved.version.version,
    },
    items,
    () => columns,
  );
  const batch = written.batch;
  const runner = options.runner ?? activeRunner(env);
  const target = {
    batchId: batch.id,
    projectId: project.id,
    provider: parseModelId(resolved.model.id).provider,
  };
  try {
    if (options.dispatch) await options.dispatch(target);
    else await dispatchBatch(target, embeddedBatchExecutor(db), runner);
  } catch (error) {
    const reason = `could not hand the batch to ${runner}: ${(error as Error).message}`;
    await finishActiveBatch(db, batch.id, { status: "failed", error: reason });
    throw new AppError("runner_unavailable", reason, 503, { batchId: batch.id });
  }
  return {
    id: batch.id,
    status: "queued",
    runner,
    totalRows: batch.totalRows,
    skippedRows: batch.skippedRows,
    issues: written.issues,
  };
}

const CLI_ACTOR: AuditActor = { type: "system", id: null, label: "cli" };

/**
 * Creates a batch: checks the spec completely (task, prompt version, model and its credentials, limits,
 * chunk size), streams the rows in — from `spec.datasetVersionId`, or from `upload` (the request body,
 * spooled to a temporary file; 413 past the size limit) — and queues it with the active runner. Exactly
 * one of the two sources. Bad input throws InputError (400) naming the field, or the file and row of a
 * malformed row under policy "stop"; then nothing is stored.
 */
export async function createBatch(
  db: Db,
  access: ProjectAccess,
  spec: BatchSpecInput,
  upload?: BatchUpload,
  actor?: AuditActor,
  options: BatchServiceOptions = {},
): Promise<CreatedBatch> {
  const location: Location = upload ? "query" : "body";
  const project = { id: access.project.id, organizationId: access.project.organization.id };
  const store = { ...options, actor: actor ?? CLI_ACTOR, location };
  const datasetVersionId = (spec as { datasetVersionId?: unknown } | null)?.datasetVersionId;
  if (upload && datasetVersionId !== undefined)
    throw fieldError(location, "datasetVersionId", "give a dataset version or upload a file, not both");
  if (!upload) {
    const parsed = parseSpec(spec, location, "project");
    if (parsed.datasetVersionId === undefined)
      throw fieldError(
        location,
        "datasetVersionId",
        "name the dataset version to run over (or upload a file)",
      );
    return createProjectBatch(
      db,
      project,
      parsed,
      { kind: "dataset", datasetVersionId: parsed.datasetVersionId },
      store,
    );
  }
  // Check the spec before reading the body: a bad field answers at once.
  parseSpec(spec, location, "project");
  const limit = options.maxBytes ?? maxUploadBytes();
  const declared = Number(upload.contentLength ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
  const format = uploadFormat(upload.format, upload.filename, upload.contentType);
  if (format !== "csv" && format !== "jsonl")
    throw fieldError(
      location,
      "format",
      "a batch file is CSV (with a header row) or JSONL (one object per line)",
    );
  const label = upload.filename?.trim() || `upload.${format}`;
  const spooled = await spoolUpload(upload.body, limit);
  try {
    return await createProjectBatch(
      db,
      project,
      spec,
      { kind: "file", path: spooled.file, format, label },
      store,
    );
  } finally {
    await rm(spooled.dir, { recursive: true, force: true });
  }
}

// ---- reading batches -----------------------------------------------------------------------------------------

export function batchSummary(b: BatchRecord): BatchSummary {
  return {
    id: b.id,
    status: b.status,
    taskName: b.taskName,
    promptVersion: b.promptVersion,
    source: b.source,
    sourceName: b.sourceName,
    modelId: String(b.model.id ?? ""),
    totalRows: b.totalRows,
    doneRows: b.doneRows,
    failedRows: b.failedRows,
    skippedRows: b.skippedRows,
    calls: b.calls,
    cacheHits: b.cacheHits,
    inputTokens: b.inputTokens,
    outputTokens: b.outputTokens,
    costUsd: b.costUsd,
    error: b.error,
    createdBy: b.createdBy,
    createdAt: b.createdAt,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
  };
}

/** Progress derived from the counters (the rate over the time since the batch first started). */
export function batchProgress(b: BatchRecord, now = Date.now()): BatchProgress {
  const elapsedMs = b.startedAt
    ? Math.max(0, (b.finishedAt?.getTime() ?? now) - b.startedAt.getTime())
    : null;
  const rowsPerSecond = elapsedMs && b.doneRows > 0 ? b.doneRows / (elapsedMs / 1000) : null;
  const active = b.status === "running" || b.status === "queued";
  return {
    fraction: b.totalRows > 0 ? b.doneRows / b.totalRows : 1,
    chunks: Math.ceil(b.lastRowNumber / b.chunkSize),
    elapsedMs,
    etaMs: active && rowsPerSecond ? Math.round(((b.totalRows - b.doneRows) / rowsPerSecond) * 1000) : null,
    rowsPerSecond: rowsPerSecond !== null ? Math.round(rowsPerSecond * 100) / 100 : null,
  };
}

async function requireBatch(db: Db, access: ProjectAccess, id: string): Promise<BatchRecord> {
  const batch =
    typeof id === "string" && id.length <= 100 ? await getProjectBatch(db, access.project.id, id) : null;
  if (!batch) throw new NotFoundError(`no batch "${id}" in this project`);
  return batch;
}

/** A project's batches, newest first. */
export async function listBatches(
  db: Db,
  access: ProjectAccess,
  query: { status?: BatchStatus; cursor?: PageCursor | null; limit: number },
): Promise<Page<BatchSummary>> {
  const page = await pageProjectBatches(db, access.project.id, query);
  return { items: page.items.map(batchSummary), next: page.next };
}

/** One batch of the project with its progress, model and skipped rows (404 for another project's). */
export async function getBatch(db: Db, access: ProjectAccess, id: string): Promise<BatchDetail> {
  const batch = await requireBatch(db, access, id);
  const issues = await listBatchIssues(db, batch.id);
  return {
    ...batchSummary(batch),
    taskId: batch.taskId,
    promptVersionId: batch.promptVersionId,
    datasetVersionId: batch.datasetVersionId,
    model: batch.model,
    chunkSize: batch.chunkSize,
    onMalformedRow: batch.malformedPolicy,
    columns: batch.columns,
    progress: batchProgress(batch),
    issues: issues.items.map((i) => ({ row: i.row, message: i.message })),
    issueCount: issues.count,
    retries: batch.retries,
    latency: batch.latency,
  };
}

/**
 * Cancels a queued or running batch (audited): it stops before its next chunk and aborts the calls in
 * flight (in this process at once, in another within about a second, with Inngest through
 * `strop/batch.cancel`); rows finished so far stay readable. A finished batch is a ConflictError (409);
 * cancelling a cancelled batch again is a no-op.
 */
export async function cancelBatch(
  db: Db,
  access: ProjectAccess,
  id: string,
  actor?: AuditActor,
  options: BatchServiceOptions = {},
): Promise<{ id: string; status: BatchStatus }> {
  const batch = await requireBatch(db, access, id);
  const outcome = await cancelProjectBatch(
    db,
    actor ?? CLI_ACTOR,
    { projectId: access.project.id, organizationId: access.project.organization.id },
    batch.id,
  );
  if (outcome === "cancelled") {
    try {
      await cancelBatchExecution(batch.id, options.runner ?? activeRunner(options.env ?? process.env));
    } catch (error) {
      // The cancelled status alone stops the batch before its next chunk.
      console.error(
        `[strop runner] could not send the cancel event of batch ${batch.id}:`,
        (error as Error).message,
      );
    }
  }
  return { id: batch.id, status: "cancelled" };
}

function rowView(row: StoredBatchRow): BatchRowView {
  return {
    rowNumber: row.rowNumber,
    key: row.key,
    input: row.input,
    status: !row.done ? "pending" : row.error !== null ? "failed" : "done",
    output: row.output,
    error: row.error,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    latencyMs: row.latencyMs,
    cached: row.cached,
  };
}

function encodeRowCursor(row: number): string {
  return Buffer.from(`row:${row}`).toString("base64url");
}

function decodeRowCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const match = /^row:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw fieldError("query", "cursor", "not a cursor this API returned");
  return Number(match[1]);
}

/** A page of a batch's rows in row order: all, done (with an output) or failed (with an error). */
export async function pageBatchRows(
  db: Db,
  access: ProjectAccess,
  id: string,
  query: { view: BatchRowsView; cursor?: string; limit: number },
): Promise<BatchRowPage> {
  const afterRow = decodeRowCursor(query.cursor);
  const batch = await requireBatch(db, access, id);
  const page = await pageBatchRowRecords(db, batch.id, { view: query.view, afterRow, limit: query.limit });
  return {
    items: page.items.map(rowView),
    nextCursor: page.nextAfterRow !== null ? encodeRowCursor(page.nextAfterRow) : null,
  };
}

/** Result column names that do not collide with the batch's input columns. */
function resultColumns(columns: string[]): { status: string; output: string; error: string } {
  const taken = new Set(["row", "key", ...columns]);
  const free = (name: string) => {
    let candidate = name;
    while (taken.has(candidate)) candidate = `${candidate}_result`;
    taken.add(candidate);
    return candidate;
  };
  return { status: free("status"), output: free("output"), error: free("error") };
}

const DOWNLOAD_BATCH = 500;

/**
 * The results of a batch as text chunks, row by row from the database (never all in memory): JSONL
 * (one object per row: row, key, input, status, output, error, usage) or CSV (row, key, the input
 * columns, status, output, error). Rows not done yet are included with status "pending".
 */
export async function* batchResultText(
  db: Db,
  batch: Pick<BatchRecord, "id" | "columns">,
  format: "csv" | "jsonl",
): AsyncGenerator<string> {
  const names = resultColumns(batch.columns);
  if (format === "csv")
    yield csvLine(["row", "key", ...batch.columns, names.status, names.output, names.error]);
  let text = "";
  let rows = 0;
  for await (const row of iterateBatchRows(db, batch.id, DOWNLOAD_BATCH)) {
    const view = rowView(row);
    if (format === "csv") {
      text += csvLine([
        String(row.rowNumber),
        row.key,
        ...batch.columns.map((c) => row.input[c] ?? ""),
        view.status,
        row.output ?? "",
        row.error ?? "",
      ]);
    } else {
      text += `${JSON.stringify({
        row: row.rowNumber,
        key: row.key,
        input: row.input,
        status: view.status,
        output: row.output,
        error: row.error,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        costUsd: row.costUsd,
        latencyMs: row.latencyMs,
        cached: row.cached,
      })}\n`;
    }
    if (++rows % DOWNLOAD_BATCH === 0) {
      yield text;
      text = "";
    }
  }
  if (text) yield text;
}

/** The results as a streamed file (CSV or JSONL; see `batchResultText`). */
export async function downloadBatchResults(
  db: Db,
  access: ProjectAccess,
  id: string,
  format: "csv" | "jsonl",
): Promise<FileDownload> {
  const batch = await requireBatch(db, access, id);
  const name = `${safeFileName(batch.taskName, "batch")}-v${batch.promptVersion}-batch-${batch.id}.${format}`;
  return fileDownload(batchResultText(db, batch, format), format, name);
}
