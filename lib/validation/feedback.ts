// Feedback on what the serving API answered (docs/api-experiments.md): a thumbs-up, a score, a category,
// a comment, a corrected output — about a generation or an experiment exposure, sent with an API key or
// a session, or from a browser with the answer's signed feedback token.
import * as z from "zod";
import { idSchema, timestampSchema } from "./common";

export const FEEDBACK_SOURCES = ["user", "reviewer", "automatic"] as const;

export const feedbackBodySchema = z
  .object({
    token: z.string().min(1).max(2000).optional().meta({
      description: "The `feedbackToken` of a serve or generate answer: no API key needed (from a browser).",
    }),
    generationId: idSchema.optional().meta({ description: "The generation judged." }),
    exposureId: idSchema
      .optional()
      .meta({ description: "The experiment exposure judged (a served prompt)." }),
    name: z
      .string()
      .min(1, "name the feedback")
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, "use letters, digits, '-', '_', '.' or ':'")
      .meta({ example: "thumbs_up" }),
    value: z
      .union([z.boolean(), z.number().finite(), z.string().min(1).max(100)])
      .meta({ description: "true/false (stored as 1/0), a number, or a category." }),
    comment: z.string().max(2000).optional(),
    correction: z.string().max(20_000).optional().meta({ description: "What the output should have been." }),
    source: z.enum(FEEDBACK_SOURCES).default("user"),
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({
        description:
          "A replay with the same key from the same sender (API key, user, or the token's answer) is " +
          "counted once and answers the first.",
      }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.generationId !== undefined && body.exposureId !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["exposureId"],
        message: "give generationId or exposureId, not both",
      });
    if (body.token === undefined && body.generationId === undefined && body.exposureId === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["generationId"],
        message: "name the generation (generationId) or exposure (exposureId), or send the answer's token",
      });
  });
export type FeedbackInput = z.output<typeof feedbackBodySchema>;

export const feedbackSchema = z
  .object({
    id: idSchema,
    generationId: idSchema.nullable(),
    exposureId: idSchema.nullable(),
    experimentId: idSchema.nullable(),
    versionId: idSchema.nullable(),
    name: z.string(),
    value: z.number().nullable(),
    category: z.string().nullable(),
    comment: z.string().nullable(),
    correction: z.string().nullable(),
    source: z.enum(FEEDBACK_SOURCES),
    actorLabel: z.string(),
    createdAt: timestampSchema,
  })
  .meta({ id: "Feedback" });
export type FeedbackView = z.output<typeof feedbackSchema>;

export const feedbackResultSchema = feedbackSchema
  .extend({
    replayed: z.boolean().meta({ description: "true: the idempotency key was seen; this is the first." }),
  })
  .meta({ id: "FeedbackResult" });

/** At most this many items in one `POST /api/v1/feedback/batch`. */
export const FEEDBACK_BATCH_MAX = 100;

export const feedbackBatchBodySchema = z
  .array(feedbackBodySchema)
  .min(1, "send at least one feedback item")
  .max(FEEDBACK_BATCH_MAX, `send at most ${FEEDBACK_BATCH_MAX} feedback items per request`)
  .meta({ description: "Feedback items, each as the body of `POST /api/v1/feedback`." });

export const feedbackBatchResultSchema = z
  .object({
    items: z.array(feedbackResultSchema).meta({ description: "One answer per item, in the items' order." }),
  })
  .meta({ id: "FeedbackBatchResult" });

export const feedbackListSchema = z.object({ items: z.array(feedbackSchema) });
export const feedbackListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
