// Labels of a task's versions (`production`, `staging`, custom; `latest` is virtual), their append-only
// history, and change requests for protected labels.
import * as z from "zod";
import { idSchema, pageSchema, paginationQuerySchema, timestampSchema } from "./common";
import { requiredVariableChangesSchema, versionEvaluationSchema } from "./prompt-compare";
import { promptFieldDiffSchema, taskParamsSchema } from "./prompts";

/** The label every caller can read without it being stored: always the newest version. */
export const LATEST_LABEL = "latest";

export const labelNameSchema = z
  .string()
  .min(1, "name the label")
  .max(50, "use at most 50 characters")
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, "use lower-case letters, digits, '-', '_' or '.'")
  .refine((name) => name !== LATEST_LABEL, "`latest` always means the newest version: it cannot be set")
  .meta({
    description: "production, staging or your own (lower-case letters, digits, - _ .).",
    example: "production",
  });

export const labelParamsSchema = taskParamsSchema.extend({ label: labelNameSchema });

export const promptLabelSchema = z
  .object({
    name: z.string(),
    version: z.number().int().meta({ description: "The version number the label points at." }),
    versionId: idSchema,
    protected: z.boolean().meta({ description: "Moves only through an approved change request." }),
    updatedBy: z.string().nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: "PromptLabel" });
export type PromptLabelView = z.output<typeof promptLabelSchema>;

export const labelListSchema = z
  .object({
    items: z.array(promptLabelSchema).meta({ description: "The stored labels, by name." }),
    latest: z
      .object({ version: z.number().int(), versionId: idSchema })
      .nullable()
      .meta({ description: "`latest`: the newest version (null when the task has none)." }),
  })
  .meta({ id: "PromptLabelList" });

const reason = z.string().trim().max(2000).default("");
const confirmVariableChange = z.boolean().default(false).meta({
  description: "Move even though the variables callers must send differ (else 409 `variables_changed`).",
});

export const moveLabelBodySchema = z
  .object({
    version: z.number().int().positive("a version number: 1, 2, …"),
    reason,
    evaluationRunId: idSchema.optional().meta({ description: "A run of this task cited as the evidence." }),
    confirmVariableChange,
    expectedVersion: z.number().int().positive().nullable().optional().meta({
      description:
        "Only move if the label is on this version now (null: only if it does not exist yet); 409 otherwise.",
    }),
  })
  .strict()
  .meta({ id: "PromptLabelMove" });

export const rollbackBodySchema = z
  .object({ reason, confirmVariableChange })
  .strict()
  .optional()
  .meta({ id: "PromptLabelRollback" });

export const protectionBodySchema = z
  .object({ protected: z.boolean(), reason })
  .strict()
  .meta({ id: "PromptLabelProtection" });

export const LABEL_ACTIONS = [
  "added",
  "moved",
  "rolled_back",
  "removed",
  "protected",
  "unprotected",
] as const;
export const labelActionSchema = z.enum(LABEL_ACTIONS);
export type LabelAction = z.infer<typeof labelActionSchema>;

export const labelEventSchema = z
  .object({
    id: idSchema,
    label: z.string(),
    action: labelActionSchema,
    fromVersion: z.number().int().nullable().meta({ description: "null: the label did not exist." }),
    toVersion: z.number().int().nullable().meta({ description: "null: the label was removed." }),
    actor: z.object({ type: z.string(), label: z.string() }),
    reason: z.string(),
    evaluationRunId: idSchema.nullable(),
    changeRequestId: idSchema.nullable(),
    createdAt: timestampSchema,
  })
  .meta({ id: "PromptLabelEvent" });
export type LabelEventView = z.output<typeof labelEventSchema>;

export const labelChangeSchema = z
  .object({
    label: promptLabelSchema.nullable().meta({ description: "The label now; null once removed." }),
    event: labelEventSchema.nullable().meta({ description: "The history entry; null when nothing changed." }),
  })
  .meta({ id: "PromptLabelChange" });

export const historyQuerySchema = paginationQuerySchema.extend({
  label: z.string().max(50).optional().meta({ description: "Only this label's history." }),
});
export const labelHistoryPageSchema = pageSchema(labelEventSchema).meta({ id: "PromptLabelHistory" });

// ---- change requests --------------------------------------------------------------------------------

export const CHANGE_REQUEST_STATUSES = [
  "open",
  "approved",
  "rejected",
  "applied",
  "cancelled",
  "stale",
] as const;
export const changeRequestStatusSchema = z.enum(CHANGE_REQUEST_STATUSES);
export type ChangeRequestStatus = z.infer<typeof changeRequestStatusSchema>;

export const changeRequestSchema = z
  .object({
    id: idSchema,
    label: z.string(),
    status: changeRequestStatusSchema,
    fromVersion: z.number().int().nullable().meta({ description: "The label's version when requested." }),
    toVersion: z.number().int(),
    reason: z.string(),
    evaluationRunId: idSchema.nullable(),
    requestedBy: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: timestampSchema.nullable(),
    appliedAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: "LabelChangeRequest" });
export type ChangeRequestView = z.output<typeof changeRequestSchema>;

export const changeRequestDetailSchema = changeRequestSchema
  .extend({
    labelVersion: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Where the label is now (a request whose label moved is stale)." }),
    diff: z
      .array(promptFieldDiffSchema)
      .meta({ description: "From the label's version to the requested one." }),
    variableChanges: requiredVariableChangesSchema,
    evaluations: z.object({
      from: versionEvaluationSchema.nullable(),
      to: versionEvaluationSchema.nullable(),
    }),
  })
  .meta({ id: "LabelChangeRequestDetail" });
export type ChangeRequestDetail = z.output<typeof changeRequestDetailSchema>;

export const createChangeRequestBodySchema = z
  .object({
    label: labelNameSchema,
    version: z.number().int().positive("a version number: 1, 2, …"),
    reason: z.string().trim().min(1, "say why the label should move").max(2000),
    evaluationRunId: idSchema.optional(),
    confirmVariableChange,
  })
  .strict()
  .meta({ id: "NewLabelChangeRequest" });

export const changeRequestParamsSchema = taskParamsSchema.extend({ request: idSchema });

export const changeRequestQuerySchema = paginationQuerySchema.extend({
  status: changeRequestStatusSchema.optional(),
});
export const changeRequestPageSchema = pageSchema(changeRequestSchema).meta({ id: "LabelChangeRequestPage" });

// ---- a run's winner, saved and labelled ------------------------------------------------------------

export const saveWinnerBodySchema = z
  .object({
    label: labelNameSchema.optional().meta({ description: "Also point this label at the saved version." }),
    reason,
    confirmVariableChange,
  })
  .strict()
  .optional()
  .meta({ id: "SaveWinner" });

export const savedWinnerWithLabelSchema = z
  .object({
    id: idSchema.meta({ description: "The new prompt version's id." }),
    version: z.number().int().meta({ description: "The new prompt version's number." }),
    label: promptLabelSchema.nullable().meta({ description: "The label now on it, when one was asked for." }),
  })
  .meta({ id: "SavedWinnerWithLabel" });

export const removeLabelBodySchema = z
  .object({ reason })
  .strict()
  .optional()
  .meta({ id: "PromptLabelRemoval" });

export const appliedChangeSchema = labelChangeSchema
  .extend({ request: changeRequestDetailSchema })
  .meta({ id: "AppliedLabelChange" });
