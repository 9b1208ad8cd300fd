// What the app shows of the serving API's generations (docs/api-prompts.md "Generations and their
// feedback"): a task's generations with filters, one generation with its feedback, a reviewer's
// feedback on it, and a version's feedback summary.
import * as z from "zod";
import { idSchema, pageSchema, paginationQuerySchema, timestampSchema } from "./common";
import { feedbackBodySchema, feedbackSchema } from "./feedback";
import { taskParamsSchema } from "./prompts";
import { storedGenerationVariablesSchema } from "./serving";

/** Which generations the `feedback` filter keeps. A judgment is negative when its value is ≤ 0. */
export const GENERATION_FEEDBACK_FILTERS = ["any", "none", "negative"] as const;
export type GenerationFeedbackFilter = (typeof GENERATION_FEEDBACK_FILTERS)[number];

/** How many characters of an output a list shows. */
export const OUTPUT_PREVIEW_CHARS = 200;

export const generationsQuerySchema = paginationQuerySchema.extend({
  version: z.coerce.number().int().positive().optional().meta({ description: "Only this version's." }),
  label: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "Only generations served for this label (as the caller asked for it)." }),
  subject: z.string().min(1).max(200).optional().meta({ description: "Only this subject's generations." }),
  feedback: z.enum(GENERATION_FEEDBACK_FILTERS).optional().meta({
    description:
      "`any`: with feedback; `none`: without; `negative`: with a judgment whose value is ≤ 0 (a thumbs-down).",
  }),
  experiment: idSchema.optional().meta({ description: "Only generations served under this experiment." }),
});
export type GenerationsQuery = z.output<typeof generationsQuerySchema>;
/** The filters of the list, without paging. */
export type GenerationFilters = Omit<GenerationsQuery, "cursor" | "limit">;

export const generationParamsSchema = taskParamsSchema.extend({
  generation: idSchema.meta({ description: "The generation's id (`generationId` of a generate answer)." }),
});

export const feedbackCountsSchema = z
  .object({
    total: z.number().int(),
    negative: z.number().int().meta({ description: "Judgments with a value ≤ 0." }),
    corrections: z.number().int(),
  })
  .meta({ id: "FeedbackCounts" });
export type FeedbackCounts = z.output<typeof feedbackCountsSchema>;

const generationExperimentSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    variant: z.number().int().meta({ description: "The variant's index (0 is control)." }),
    exposureId: idSchema,
  })
  .nullable()
  .meta({ description: "The experiment whose variant answered; null when none did." });

const generationFields = {
  id: idSchema,
  version: z.number().int(),
  label: z.string().nullable().meta({ description: "The label asked for; null when asked by version." }),
  model: z.string(),
  createdAt: timestampSchema,
  latencyMs: z.number(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  cached: z.boolean(),
  error: z.string().nullable().meta({ description: "Why the call failed; null when it answered." }),
  subjectId: z.string().nullable().meta({ description: "The subject the caller named, if any." }),
  experiment: generationExperimentSchema,
  feedbackCounts: feedbackCountsSchema,
};

export const generationSummarySchema = z
  .object({
    ...generationFields,
    outputPreview: z
      .string()
      .nullable()
      .meta({ description: `The output's first ${OUTPUT_PREVIEW_CHARS} characters (null: it failed).` }),
  })
  .meta({ id: "GenerationSummary" });
export type GenerationSummary = z.output<typeof generationSummarySchema>;

export const generationPageSchema = pageSchema(generationSummarySchema).meta({ id: "GenerationPage" });

export const generationDetailSchema = z
  .object({
    ...generationFields,
    versionId: idSchema,
    variables: storedGenerationVariablesSchema.meta({
      description: "The values the prompt was rendered with.",
    }),
    output: z.string().nullable(),
    feedback: z.array(feedbackSchema).meta({ description: "Its feedback, newest first (at most 200)." }),
  })
  .meta({ id: "GenerationDetail" });
export type GenerationDetail = z.output<typeof generationDetailSchema>;

/** A reviewer's judgment of a generation (from the generation page or the API; editors). */
const body = feedbackBodySchema.shape;
export const reviewBodySchema = z
  .object({
    name: body.name,
    value: body.value,
    comment: body.comment,
    correction: body.correction,
    idempotencyKey: body.idempotencyKey,
  })
  .strict()
  .meta({ id: "GenerationReview" });
export type ReviewInput = z.output<typeof reviewBodySchema>;

export const versionFeedbackQuerySchema = paginationQuerySchema;

export const feedbackNameSummarySchema = z
  .object({
    name: z.string(),
    count: z.number().int(),
    numericCount: z
      .number()
      .int()
      .meta({ description: "Judgments with a number (true/false count as 1/0)." }),
    mean: z.number().nullable().meta({ description: "Mean of the numeric values; null without any." }),
    positiveShare: z.number().nullable().meta({
      description: "Share of 1s when every numeric value is 0 or 1 (a thumbs-up rate); else null.",
    }),
    negative: z.number().int().meta({ description: "Judgments with a value ≤ 0." }),
    categories: z
      .array(z.object({ category: z.string(), count: z.number().int() }))
      .meta({ description: "Category values, most frequent first." }),
    corrections: z.number().int(),
  })
  .meta({ id: "FeedbackNameSummary" });
export type FeedbackNameSummary = z.output<typeof feedbackNameSummarySchema>;

export const versionFeedbackSummarySchema = z
  .object({
    version: z.number().int(),
    versionId: idSchema,
    total: z.number().int(),
    corrections: z.number().int(),
    names: z.array(feedbackNameSummarySchema).meta({ description: "Per feedback name, most judged first." }),
  })
  .meta({ id: "VersionFeedbackSummary" });
export type VersionFeedbackSummary = z.output<typeof versionFeedbackSummarySchema>;

export const versionFeedbackPageSchema = versionFeedbackSummarySchema
  .extend({
    items: z.array(feedbackSchema).meta({ description: "The newest feedback first (this page)." }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "VersionFeedback" });
