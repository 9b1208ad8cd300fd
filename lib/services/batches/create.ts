// Creating a batch: check the spec, stream the rows in (a dataset version, or a file: an upload spooled
// to a temporary file, or the CLI's input), store everything in one transaction, hand the batch to the
// runner. The one path of the API (`createBatch`) and the CLI (`createProjectBatch` with the operator's
// access); bad input is an InputError naming the field, or the file and row of a malformed row under
// policy "stop" — then nothing is stored.
import { rm } from "node:fs/promises";
import { actorOf, type ProjectAccess } from "@/lib/auth/principal";
import { PayloadTooLargeError } from "@/lib/core/errors";
import {
  type AuditActor,
  type BatchItem,
  type Db,
  getProjectDatasetVersion,
  type Tx,
  writeBatch,
} from "@/lib/db";
import { parseModelId } from "@/lib/llm/model-id";
import type { Env } from "@/lib/llm/providers/index";
import type { JobTarget } from "@/lib/runner/job-kind";
import { activeRunner, type RunnerName } from "@/lib/runner/runner-choice";
import type { BatchSpecInput, CreatedBatch, OperatorBatchSpecInput } from "@/lib/validation/batches";
import { fieldError } from "@/lib/validation/parse";
import type { ConfigAuthor } from "../credentials/for-models";
import { maxUploadBytes, spoolUpload, uploadFormat } from "../dataset-upload";
import { batchJob, handOverJob } from "../jobs";
import { withinInngestBatchLimit } from "../jobs/batch-plan";
import { requireActiveProject } from "../projects";
import { type BatchRowsSource, datasetItems, fileItems } from "./rows-in";
import { type Location, parseSpec, relabel, resolveSpec } from "./spec";

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

/** What the runner is handed: the batch and its flow-control keys (the task model's provider). */
export type BatchDispatch = JobTarget;

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

export interface StoreBatchOptions extends BatchServiceOptions {
  /** Who, for the audit entry (default: the access's principal). */
  actor?: AuditActor;
  /** "cli": resumed with `strop batch --resume`, not when the app starts. Default "api". */
  origin?: "api" | "cli";
  /** Where a bad field is reported (query for uploads, body otherwise). Default "body". */
  location?: Location;
  /** How messages name a spec field (default `<location>.<field>`; the CLI names its flags). */
  fieldLabel?: (field: string) => string;
}

export type { BatchRowsSource };

/**
 * Checks a batch spec and stores the batch with its rows (read from `rows`), then hands it to the runner
 * (or `options.dispatch`). The one path of the API (`createBatch`) and the CLI (`strop batch`).
 */
export async function createProjectBatch(
  db: Db,
  access: ProjectAccess,
  specInput: BatchSpecInput | OperatorBatchSpecInput,
  rows: BatchRowsSource,
  options: StoreBatchOptions = {},
): Promise<CreatedBatch> {
  const label = options.fieldLabel;
  if (!label) return storeBatch(db, access, specInput, rows, options);
  try {
    return await storeBatch(db, access, specInput, rows, options);
  } catch (error) {
    throw relabel(error, options.location ?? "body", label);
  }
}

async function storeBatch(
  db: Db,
  access: ProjectAccess,
  specInput: BatchSpecInput | OperatorBatchSpecInput,
  rows: BatchRowsSource,
  options: StoreBatchOptions,
): Promise<CreatedBatch> {
  const project = access.project;
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
  const actor = options.actor ?? actorOf(access.principal);
  const runner = options.runner ?? activeRunner(env);
  // On Inngest, a batch past the documented maximum is refused at its first extra row: nothing is stored.
  const source = items;
  items = (tx) => withinInngestBatchLimit(source(tx), runner);
  const written = await writeBatch(
    db,
    actor,
    {
      projectId: project.id,
      organizationId: project.organization.id,
      taskId: resolved.task.id,
      promptVersionId: resolved.version.id,
      source: rows.kind,
      datasetVersionId: rows.kind === "dataset" ? rows.datasetVersionId : null,
      sourceName,
      model: resolved.model,
      cache: resolved.cache,
      chunkSize: spec.chunkSize,
      malformedPolicy: policy,
      origin: options.origin ?? "api",
      createdBy: actor.label,
      taskName: resolved.task.name,
      promptVersion: resolved.version.version,
    },
    items,
    () => columns,
  );
  const batch = written.batch;
  const target = { id: batch.id, projectId: project.id, provider: parseModelId(resolved.model.id).provider };
  await handOverJob(batchJob, db, target, { ...options, runner, env });
  return {
    id: batch.id,
    status: "queued",
    runner,
    totalRows: batch.totalRows,
    skippedRows: batch.skippedRows,
    issues: written.issues,
  };
}

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
  await requireActiveProject(db, access);
  const location: Location = upload ? "query" : "body";
  const store = { ...options, actor, location };
  if (upload && spec.datasetVersionId !== undefined)
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
      access,
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
      access,
      spec,
      { kind: "file", path: spooled.file, format, label },
      store,
    );
  } finally {
    await rm(spooled.dir, { recursive: true, force: true });
  }
}
