// Batches: run one prompt version of a task over rows (a dataset version, or an uploaded CSV/JSONL file
// streamed in) with one task model, one output per row. What a client sends (the batch spec: a JSON body
// for a dataset version, query parameters for an upload whose body is the file) and what it reads back.
import * as z from "zod";
import { idSchema, latencySummarySchema, pageSchema, paginationQuerySchema, timestampSchema } from "./common";
import { modelRefSchema } from "./runs";
import { cacheConfigSchema, modelConfigSchema } from "./task-file";

export const BATCH_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const batchStatusSchema = z.enum(BATCH_STATUSES);
export type BatchStatus = z.infer<typeof batchStatusSchema>;

export const MALFORMED_POLICIES = ["skip", "stop"] as const;
export const malformedPolicySchema = z.enum(MALFORMED_POLICIES).meta({
  description:
    'A row that does not parse or lacks a template variable: "stop" (default) refuses the whole batch with ' +
    'a 400 naming the row (nothing is stored); "skip" leaves the row out and reports it (`issues`, `skippedRows`).',
});
export type MalformedPolicy = z.infer<typeof malformedPolicySchema>;

/** Where a batch's rows came from: a dataset version, or a file (an upload, the CLI's input). */
export const batchSourceSchema = z.enum(["dataset", "file"]);
/** Who resumes an unfinished batch: the app ("api") or the user through `strop batch --resume` ("cli"). */
export const batchOriginSchema = z.enum(["api", "cli"]);

export const DEFAULT_CHUNK_SIZE = 100;
export const MAX_CHUNK_SIZE = 1000;

/** Rows per durable step: zero or negative is refused naming `chunkSize`. */
export const chunkSizeSchema = z
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1 (a positive number of rows per chunk)")
  .max(MAX_CHUNK_SIZE, `must be at most ${MAX_CHUNK_SIZE}`)
  .meta({ description: `Rows per durable step (1–${MAX_CHUNK_SIZE}, default ${DEFAULT_CHUNK_SIZE}).` });

export const batchSpecSchema = z
  .object({
    /** Task name or id. */
    task: z.string().min(1).max(200).meta({ description: "Task name or id." }),
    /** Prompt version number of the task; default: the latest. */
    promptVersion: z
      .number()
      .int()
      .positive("a version number: 1, 2, …")
      .optional()
      .meta({ description: "Prompt version number of the task; default: the latest." }),
    /** The rows: a dataset version of the project (else the request body is the file). */
    datasetVersionId: idSchema
      .optional()
      .meta({ description: "Run over this dataset version; omit when uploading a file." }),
    /**
     * The task model: a model configuration's name, a "provider:model" id, or an inline configuration
     * (limits must be positive: zero or negative concurrency or rate limits are refused naming the field).
     */
    model: modelRefSchema,
    chunkSize: chunkSizeSchema.default(DEFAULT_CHUNK_SIZE),
    onMalformedRow: malformedPolicySchema.default("stop"),
    /** The LLM response cache (default: on). */
    cache: cacheConfigSchema.optional(),
  })
  .strict();

/**
 * `strop batch` only: the operator's own task file may give its model an endpoint or a key variable
 * (the app's spec refuses both: lib/services/credentials/for-models.ts).
 */
export const operatorBatchSpecSchema = batchSpecSchema.extend({
  model: z.union([z.string().min(1), modelConfigSchema]),
});

/** What a client sends (defaults not applied yet). */
export type BatchSpecInput = z.input<typeof batchSpecSchema>;
export type BatchSpec = z.infer<typeof batchSpecSchema>;
/** What `strop batch` sends: a task file's model may carry its endpoint. */
export type OperatorBatchSpecInput = z.input<typeof operatorBatchSpecSchema>;
/** A checked spec of either kind (the app's is the operator's without an endpoint or key variable). */
export type OperatorBatchSpec = z.infer<typeof operatorBatchSpecSchema>;

/**
 * An upload's query string (the body is the file): the spec's fields as strings, plus the file's name
 * and format. `model` is a configuration name or "provider:model" here (inline configurations need the
 * JSON body form, with a dataset version).
 */
export const batchUploadQuerySchema = z
  .object({
    task: z.string().min(1).max(200).meta({ description: "Task name or id." }),
    promptVersion: z.coerce
      .number()
      .int()
      .positive("a version number: 1, 2, …")
      .optional()
      .meta({ description: "Prompt version number; default: the latest." }),
    model: z
      .string()
      .min(1)
      .max(300)
      .meta({ description: 'A model configuration\'s name or a "provider:model" id.' }),
    chunkSize: z.coerce.number().pipe(chunkSizeSchema).optional(),
    onMalformedRow: malformedPolicySchema.optional(),
    cache: z
      .enum(["true", "false"])
      .optional()
      .meta({ description: "false: bypass the LLM response cache (default true)." }),
    filename: z
      .string()
      .max(255)
      .optional()
      .meta({ description: "The file's name: shown as the source and, by its extension, gives the format." }),
    format: z
      .enum(["csv", "jsonl"])
      .optional()
      .meta({ description: "csv or jsonl; default: from `filename`, else from Content-Type." }),
  })
  .strict();

export type BatchUploadQuery = z.infer<typeof batchUploadQuerySchema>;

/** The spec an upload's query string stands for. */
export function batchSpecFromQuery(query: BatchUploadQuery): BatchSpecInput {
  return {
    task: query.task,
    ...(query.promptVersion !== undefined ? { promptVersion: query.promptVersion } : {}),
    model: query.model,
    ...(query.chunkSize !== undefined ? { chunkSize: query.chunkSize } : {}),
    ...(query.onMalformedRow !== undefined ? { onMalformedRow: query.onMalformedRow } : {}),
    ...(query.cache !== undefined ? { cache: { enabled: query.cache === "true", ttlSeconds: 604_800 } } : {}),
  };
}

// ---- reading batches -------------------------------------------------------------------------------------

export const batchListQuerySchema = paginationQuerySchema.extend({
  status: batchStatusSchema.optional().meta({ description: "Only batches with this status." }),
});

export const BATCH_ROW_VIEWS = ["all", "done", "failed"] as const;
/** Which rows of a batch: all (pending ones too), done with an output, or failed with an error. */
export type BatchRowFilter = (typeof BATCH_ROW_VIEWS)[number];

export const batchRowsQuerySchema = z.object({
  view: z.enum(BATCH_ROW_VIEWS).default("all").meta({
    description:
      "all rows (pending ones too), done (finished with an output) or failed (finished with an error).",
  }),
  cursor: z.string().max(200).optional().meta({ description: "`nextCursor` of the previous page." }),
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: "Rows per page (1–500)." }),
});

export const batchDownloadQuerySchema = z.object({
  format: z.enum(["csv", "jsonl"]).default("jsonl").meta({ description: "jsonl (default) or csv." }),
});

const countsShape = {
  totalRows: z.number().int().meta({ description: "Rows to process (skipped rows not included)." }),
  doneRows: z.number().int().meta({ description: "Rows finished (with an output or an error)." }),
  failedRows: z.number().int().meta({ description: "Finished rows whose call failed (error recorded)." }),
  skippedRows: z.number().int().meta({ description: "Malformed rows left out (policy skip)." }),
};

export const batchSummarySchema = z
  .object({
    id: idSchema,
    status: batchStatusSchema,
    taskName: z.string(),
    promptVersion: z.number().int(),
    source: batchSourceSchema,
    sourceName: z.string(),
    modelId: z.string(),
    ...countsShape,
    calls: z.number().int(),
    cacheHits: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    error: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: timestampSchema,
    startedAt: timestampSchema.nullable(),
    finishedAt: timestampSchema.nullable(),
  })
  .meta({ id: "BatchSummary" });

export const batchIssueSchema = z
  .object({
    row: z.number().int().nullable().meta({ description: "1-based data row of the file (null: the file)." }),
    message: z.string(),
  })
  .meta({ id: "BatchIssue" });

export const batchDetailSchema = batchSummarySchema
  .extend({
    taskId: idSchema,
    promptVersionId: idSchema,
    datasetVersionId: idSchema.nullable(),
    model: z.record(z.string(), z.unknown()).meta({ description: "The resolved model configuration." }),
    chunkSize: z.number().int(),
    onMalformedRow: malformedPolicySchema,
    columns: z.array(z.string()).meta({ description: "Input columns of the rows, in source order." }),
    progress: z
      .object({
        fraction: z.number().meta({ description: "doneRows / totalRows (1 when there are no rows)." }),
        chunks: z.number().int(),
        elapsedMs: z.number().int().nullable(),
        etaMs: z.number().int().nullable(),
        rowsPerSecond: z.number().nullable(),
      })
      .meta({ description: "Derived from the counters." }),
    issues: z.array(batchIssueSchema).meta({ description: "Skipped rows (first 20)." }),
    issueCount: z.number().int(),
    retries: z
      .number()
      .int()
      .meta({ description: "Provider requests the gateway retried (429s, 5xx, timeouts)." }),
    latency: latencySummarySchema.nullable().meta({ description: "Stored when it finished; null before." }),
  })
  .meta({ id: "BatchDetail" });

export const batchRowSchema = z
  .object({
    rowNumber: z.number().int(),
    key: z.string(),
    input: z.record(z.string(), z.string()),
    status: z.enum(["pending", "done", "failed"]),
    output: z.string().nullable(),
    error: z.string().nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    latencyMs: z.number().int(),
    cached: z.boolean(),
  })
  .meta({ id: "BatchRow" });

export const batchRowPageSchema = pageSchema(batchRowSchema);

export const batchPageSchema = pageSchema(batchSummarySchema);

export const batchCreatedSchema = z
  .object({
    id: idSchema,
    status: batchStatusSchema,
    runner: z.enum(["embedded", "inngest"]),
    totalRows: z.number().int(),
    skippedRows: z.number().int(),
    issues: z.array(batchIssueSchema).meta({ description: "Skipped rows (first 20)." }),
  })
  .meta({ id: "BatchCreated" });

export const batchCancelledSchema = z.object({ id: idSchema, status: batchStatusSchema });

export type BatchSummary = z.output<typeof batchSummarySchema>;
export type BatchDetail = z.output<typeof batchDetailSchema>;
export type BatchProgress = BatchDetail["progress"];
export type BatchIssue = z.output<typeof batchIssueSchema>;
/** One row of a batch with its status: the API's shape, and what lib/db reads rows as. */
export type BatchRow = z.output<typeof batchRowSchema>;
export type BatchRowStatus = BatchRow["status"];
export type BatchRowPage = z.output<typeof batchRowPageSchema>;
export type CreatedBatch = z.output<typeof batchCreatedSchema>;
