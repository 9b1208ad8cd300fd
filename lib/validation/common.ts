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

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description:
          "invalid_input (400), unauthenticated (401), forbidden (403), not_found (404), conflict (409), " +
          "payload_too_large (413), unsupported_media_type (415), rate_limited (429), internal (500)",
      }),
      message: z.string(),
      details: z.unknown().optional().meta({
        description: "For invalid_input: `{ issues: ValidationIssue[] }`; otherwise code-specific.",
      }),
    }),
  })
  .meta({ id: "Error", description: "Every error response has this shape." });

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
