// Shared pieces of the API contract: identifiers, pagination and the error envelope.
import * as z from "zod";

export const slugSchema = z
  .string()
  .min(2, "use at least 2 characters")
  .max(50, "use at most 50 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "use lower-case letters, digits and inner dashes")
  .meta({
    description: "Lower-case letters, digits and inner dashes, e.g. `support-bot`.",
    example: "support-bot",
  });

/** A database id (cuid). */
export const idSchema = z.string().min(1).max(100);

/** Timestamps are Dates in the services and ISO 8601 strings in JSON. */
export const timestampSchema = z.date();

export const paginationQuerySchema = z.object({
  cursor: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "The `nextCursor` of the previous page; omit for the first page." }),
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: "Items per page (1–200)." }),
});

/** `{ items, nextCursor }` around an item schema. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  });
}

export const validationIssueSchema = z
  .object({
    in: z.enum(["params", "query", "body"]),
    path: z
      .string()
      .meta({ description: "Dotted path of the field, e.g. `members.0.email`; empty for the whole." }),
    message: z.string(),
  })
  .meta({ id: "ValidationIssue" });

/** A row of an uploaded file that cannot be used: 1-based data row and line (null: the file as a whole). */
export const rowProblemSchema = z
  .object({ row: z.number().int().nullable(), line: z.number().int().nullable(), message: z.string() })
  .meta({ id: "RowProblem" });

/**
 * `details` of every error response: `issues` names the fields at fault (empty when none is), then the
 * fields some codes add. Declared once; the HTTP edge (lib/http/errors.ts) sends every error's details
 * in this shape and the browser (lib/http/client.ts) reads them with it.
 */
export const errorDetailsSchema = z
  .object({
    issues: z.array(validationIssueSchema).meta({ description: "The fields at fault; empty when none is." }),
    problems: z.array(rowProblemSchema).optional().meta({
      description: "invalid_input of an uploaded file: its rows that cannot be used (the first 100).",
    }),
    problemCount: z.number().int().optional().meta({ description: "How many rows cannot be used in all." }),
    truncated: z.boolean().optional().meta({ description: "More problems than `problems` lists." }),
    row: z.number().int().nullable().optional().meta({ description: "The row of a file that stopped it." }),
    line: z.number().int().nullable().optional(),
    requestId: z.string().optional().meta({ description: "internal, database_unavailable: for the logs." }),
    limitBytes: z.number().int().optional().meta({ description: "payload_too_large: the limit." }),
    retryAfterSeconds: z.number().optional().meta({ description: "rate_limited: when to try again." }),
    runId: z
      .string()
      .optional()
      .meta({ description: "runner_unavailable: the run that was not handed over." }),
    batchId: z.string().optional().meta({ description: "runner_unavailable: the batch not handed over." }),
    experimentId: z.string().optional().meta({
      description: "runner_unavailable: the experiment job; conflict: the experiment on the label.",
    }),
    status: z.string().optional().meta({ description: "conflict: the status that refused the change." }),
    version: z.number().int().optional().meta({ description: "conflict: the version already saved." }),
    latestVersion: z.number().int().optional().meta({ description: "conflict: the newest version." }),
    runCount: z.number().int().optional().meta({ description: "conflict: runs that use it." }),
    modelConfigs: z
      .array(z.string())
      .optional()
      .meta({ description: "conflict: model configurations that use the credential." }),
    updatedAt: z.string().optional().meta({ description: "conflict: when the record last changed." }),
    required: z.string().optional().meta({ description: "forbidden: the role this needs." }),
    role: z.string().optional().meta({ description: "forbidden: the caller's role." }),
    limit: z.number().optional().meta({ description: "invalid_input: the limit a job would pass." }),
    variables: z.array(z.string()).optional().meta({
      description: "variables_changed: the variables callers must send that differ between the versions.",
    }),
    labels: z
      .array(z.string())
      .optional()
      .meta({ description: "conflict: labels that point into the task." }),
    labelVersion: z
      .number()
      .int()
      .nullable()
      .optional()
      .meta({ description: "conflict, protected_label: the label's version now (null: no such label)." }),
    generationId: z
      .string()
      .optional()
      .meta({ description: "provider_error: the generation stored with the error." }),
    providerStatus: z
      .number()
      .int()
      .optional()
      .meta({ description: "provider_error: the provider's HTTP status." }),
    generationsPath: z.string().optional().meta({
      description:
        "conflict, no corrections yet: the page of the version's generations with negative feedback.",
    }),
  })
  .meta({ id: "ErrorDetails" });

export type ErrorDetails = z.infer<typeof errorDetailsSchema>;
export type RowProblem = z.infer<typeof rowProblemSchema>;

/** An error's details in the declared shape (`issues` added when absent); null when they do not fit it. */
export function parseErrorDetails(details: unknown): ErrorDetails | null {
  const fields = details && typeof details === "object" && !Array.isArray(details) ? details : {};
  const parsed = errorDetailsSchema.safeParse({ issues: [], ...fields });
  return parsed.success ? parsed.data : null;
}

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description:
          "invalid_input (400), unauthenticated (401), forbidden (403), not_found (404), conflict (409), " +
          "model_unusable (409), protected_label and variables_changed (409: moving a prompt label), payload_too_large (413), unsupported_media_type (415), rate_limited (429), " +
          "internal (500), provider_error (502), runner_unavailable and database_unavailable (503)",
      }),
      message: z.string(),
      details: errorDetailsSchema,
    }),
  })
  .meta({ id: "Error", description: "Every error response has this shape." });

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export type ValidationIssue = z.infer<typeof validationIssueSchema>;

/** Latency of the calls that reached the provider and succeeded (ms), from the stored rows. */
export const latencySummarySchema = z
  .object({
    count: z.number().int(),
    p50: z.number(),
    p95: z.number(),
    p99: z.number(),
    max: z.number(),
  })
  .meta({ id: "LatencySummary" });

export type LatencySummary = z.infer<typeof latencySummarySchema>;
