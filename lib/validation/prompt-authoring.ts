// Writing prompts through the API: creating a task, new immutable versions (prompts, demos, model
// parameters, typed variables, the serving model, a message), duplicating a version, exporting a version
// as a task file. The read side is ./prompts.ts, labels and change requests ./prompt-labels.ts.
import * as z from "zod";
import { labelListSchema, promptLabelSchema } from "./prompt-labels";
import { variableSchemaSchema } from "./prompt-variables";
import { promptTaskSchema, promptVersionSchema } from "./prompts";
import { demoSchema, modelParamsSchema } from "./task-file";

/** A task's name: what task files accept (`strop optimize` can run an exported task file). */
export const taskNameSchema = z
  .string()
  .min(1, "name the task")
  .max(100, "use at most 100 characters")
  .regex(/^[a-zA-Z0-9][\w.-]*$/, "use letters, digits, '-', '_' or '.', starting with a letter or digit")
  .meta({
    description: "Letters, digits, '-', '_' or '.'; unique in the project.",
    example: "support-reply",
  });

const MAX_PROMPT_CHARS = 100_000;

export const newVersionBodySchema = z
  .object({
    systemPrompt: z.string().max(MAX_PROMPT_CHARS).default(""),
    outputPrompt: z
      .string()
      .min(1, "the output prompt template must not be empty")
      .max(MAX_PROMPT_CHARS)
      .meta({ description: "The user-message template, with `{{variables}}`." }),
    demos: z.array(demoSchema).max(100).default([]).meta({
      description: "Few-shot examples: `{ input: { variable: value }, output }`, each giving every variable.",
    }),
    params: modelParamsSchema.default({}).meta({
      description: "temperature (0–2), maxOutputTokens, topP (0–1], seed.",
    }),
    variables: variableSchemaSchema.optional().meta({
      description:
        "The variables as JSON Schema (see PromptVariables): every `{{variable}}` of the output prompt must be " +
        "declared and every declared one used (400 naming them). Omit to derive it: each variable a required string.",
    }),
    model: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .meta({
        description:
          'The serving model: a model configuration\'s name or a "provider:model" id (its credentials must ' +
          'exist, as for runs); omit or null for the project default ("sim:default").',
      }),
    message: z
      .string()
      .trim()
      .min(1, "say why this version exists")
      .max(2000)
      .meta({ description: "Why this version was written (its commit message)." }),
  })
  .strict()
  .meta({ id: "NewPromptVersion" });
export type NewVersionInput = z.input<typeof newVersionBodySchema>;
export type NewVersion = z.output<typeof newVersionBodySchema>;

export const createTaskBodySchema = z
  .object({
    name: taskNameSchema,
    description: z.string().max(2000).default(""),
    version: newVersionBodySchema
      .extend({ message: newVersionBodySchema.shape.message.default("First version") })
      .optional()
      .meta({ description: 'Optionally its first version (message default: "First version").' }),
  })
  .strict()
  .meta({ id: "NewPromptTask" });
export type CreateTaskInput = z.input<typeof createTaskBodySchema>;

export const updateTaskBodySchema = z
  .object({ description: z.string().max(2000) })
  .strict()
  .meta({ id: "PromptTaskUpdate" });

export const duplicateVersionBodySchema = z
  .object({
    message: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'Default: "Duplicate of version N".' }),
  })
  .strict()
  .optional();

export const taskFileQuerySchema = z.object({
  dataset: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .meta({
      description:
        "The dataset path written into the file (relative to it). Default: `<dataset name>.csv` of the newest " +
        "run of the version, else `dataset.csv`.",
    }),
});

export const createdTaskSchema = z
  .object({ task: promptTaskSchema, version: promptVersionSchema.nullable() })
  .meta({ id: "CreatedPromptTask" });

export const taskDetailsQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .meta({ description: "Versions to include (1–200)." }),
});

export const taskDetailsSchema = z
  .object({
    task: promptTaskSchema,
    labels: z.array(promptLabelSchema).meta({ description: "The stored labels, by name." }),
    latest: labelListSchema.shape.latest,
    versions: z.array(promptVersionSchema).meta({ description: "The newest versions, newest first." }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "`cursor` of GET …/versions for the versions after these; null when none." }),
    pendingChangeRequests: z.number().int().meta({ description: "Change requests open or approved." }),
  })
  .meta({ id: "PromptTaskDetails" });
