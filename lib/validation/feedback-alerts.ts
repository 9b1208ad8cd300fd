// Negative-feedback alerts (docs/api-feedback.md): a project's settings (Project.feedbackAlert, parsed
// once in lib/db), the proposals the scheduled check opens when a version's share of negative judgments
// passes them, and the API's shapes for reading and acting on those proposals.
import * as z from "zod";
import { idSchema, timestampSchema } from "./common";
import { projectParamsSchema } from "./projects";
import { runSpecSchema } from "./runs";

const feedbackNameSchema = z
  .string()
  .min(1, "name the feedback")
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, "use letters, digits, '-', '_', '.' or ':'");

/** A project's settings; every field has its default, so `{}` (and a project that never set any) is valid. */
export const feedbackAlertSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .meta({ description: "Whether the scheduled check looks at this project." }),
    rate: z
      .number({ error: "enter a share between 0 and 1" })
      .gt(0, "enter a share above 0")
      .max(1, "enter a share of at most 1")
      .default(0.3)
      .meta({ description: "A version is proposed when at least this share of its judgments is negative." }),
    minimumJudgments: z
      .number({ error: "enter a whole number" })
      .int("enter a whole number")
      .min(1, "enter at least 1")
      .max(1_000_000)
      .default(30)
      .meta({
        description: "Judgments (of one name, on one version, in the window) needed before it counts.",
      }),
    negativeAtMost: z
      .number({ error: "enter a number" })
      .default(0)
      .meta({
        description:
          "A numeric value at or below this is negative. Booleans are stored as 1 and 0, so the default 0 " +
          "counts a thumbs-down (false).",
      }),
    windowDays: z
      .number({ error: "enter a whole number of days" })
      .int("enter a whole number of days")
      .min(1, "enter at least 1 day")
      .max(90, "enter at most 90 days")
      .default(7)
      .meta({ description: "Only feedback from the last this many days counts." }),
    names: z
      .array(feedbackNameSchema)
      .max(20, "list at most 20 names")
      .default([])
      .meta({ description: "The feedback names judged; empty: every name with a numeric or boolean value." }),
  })
  .strict()
  .meta({ id: "FeedbackAlert" });
export type FeedbackAlert = z.output<typeof feedbackAlertSchema>;

export const feedbackAlertSettingsSchema = feedbackAlertSchema
  .extend({
    isDefault: z.boolean().meta({ description: "No one has set them: the built-in defaults apply." }),
  })
  .meta({ id: "FeedbackAlertSettings" });
export type FeedbackAlertSettings = z.output<typeof feedbackAlertSettingsSchema>;

export const FEEDBACK_PROPOSAL_STATUSES = ["open", "started", "dismissed"] as const;
export type FeedbackProposalStatus = (typeof FEEDBACK_PROPOSAL_STATUSES)[number];

export const feedbackProposalSchema = z
  .object({
    id: idSchema,
    task: z.string().meta({ description: "The prompt (task) name." }),
    version: z.number().int().meta({ description: "The prompt version judged." }),
    feedbackName: z.string(),
    negative: z.number().int().meta({ description: "Negative judgments in the window when last checked." }),
    total: z.number().int().meta({ description: "Judgments in the window when last checked." }),
    rate: z.number().meta({ description: "negative / total." }),
    threshold: z.number().meta({ description: "The project's rate setting it passed." }),
    status: z.enum(FEEDBACK_PROPOSAL_STATUSES),
    runId: idSchema.nullable().meta({ description: "The optimization run it started." }),
    decidedBy: z.string().nullable(),
    decidedAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
    corrections: z.number().int().meta({
      description: "Corrections sent about the prompt's generations: the examples a start would use.",
    }),
  })
  .meta({ id: "FeedbackProposal" });
export type FeedbackProposal = z.output<typeof feedbackProposalSchema>;

export const feedbackProposalListSchema = z
  .object({
    items: z.array(feedbackProposalSchema),
    windowDays: z.number().int().meta({ description: "The project's window setting (days)." }),
  })
  .meta({ id: "FeedbackProposalList" });
export type FeedbackProposalList = z.output<typeof feedbackProposalListSchema>;

export const feedbackProposalListQuerySchema = z.object({
  task: z.string().min(1).max(100).optional().meta({ description: "Only this prompt's proposals." }),
  status: z.enum(FEEDBACK_PROPOSAL_STATUSES).optional().meta({ description: "Default: open." }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const feedbackProposalParamsSchema = projectParamsSchema.extend({ proposal: idSchema });

export const startFeedbackProposalBodySchema = z
  .object({
    models: runSpecSchema.shape.models.optional().meta({ description: "Default: the offline simulator." }),
    metrics: runSpecSchema.shape.metrics.optional().meta({ description: "Default: exact_match." }),
  })
  .strict();
export type StartFeedbackProposalBody = z.output<typeof startFeedbackProposalBodySchema>;

export const startedFeedbackProposalSchema = z
  .object({
    proposal: feedbackProposalSchema,
    runId: idSchema,
    datasetVersionId: idSchema,
    promptVersion: z.number().int(),
  })
  .meta({ id: "StartedFeedbackProposal" });

export const feedbackCheckSchema = z
  .object({
    opened: z.number().int().meta({ description: "New open proposals." }),
    refreshed: z.number().int().meta({ description: "Open proposals whose counts were brought up to date." }),
  })
  .meta({ id: "FeedbackCheck" });
export type FeedbackCheck = z.output<typeof feedbackCheckSchema>;
