// Prompts (read side): tasks, their immutable prompt versions, and the diff of two versions.
import * as z from "zod";
import { idSchema, timestampSchema } from "./common";
import { projectParamsSchema } from "./projects";
import { variableSchemaSchema } from "./prompt-variables";

export const promptSourceSchema = z
  .enum(["file", "optimization", "manual"])
  .meta({ description: "Where the version came from: a task file, an optimization run, or by hand." });
export type PromptSource = z.infer<typeof promptSourceSchema>;

export const modelParamsSchema = z
  .object({
    temperature: z.number().optional(),
    maxOutputTokens: z.number().optional(),
    topP: z.number().optional(),
    seed: z.number().optional(),
  })
  .meta({ id: "PromptModelParams" });

export const fewShotDemoSchema = z
  .object({ input: z.record(z.string(), z.string()), output: z.string() })
  .meta({ id: "PromptDemo" });

export const promptVersionSchema = z
  .object({
    id: idSchema,
    version: z.number().int().meta({ description: "1, 2, 3… per task." }),
    systemPrompt: z.string(),
    outputPrompt: z.string().meta({ description: "The user-message template, with `{{variables}}`." }),
    variables: z.array(z.string()).meta({ description: "The template's variables, in order of first use." }),
    params: modelParamsSchema,
    demos: z.array(fewShotDemoSchema),
    source: promptSourceSchema,
    runId: idSchema
      .nullable()
      .meta({ description: "The run that produced this version (source optimization)." }),
    message: z.string().meta({ description: "Why the version was written (its commit message)." }),
    note: z.string().meta({ description: "The same as `message` (its former name)." }),
    variableSchema: variableSchemaSchema.meta({
      description:
        "The version's variables as JSON Schema: as declared, or (`variablesDeclared` false: versions from " +
        "runs and task files) every `{{variable}}` of the template a required string.",
    }),
    variablesDeclared: z.boolean(),
    model: z.string().nullable().meta({
      description:
        'The serving model: a model configuration\'s name or "provider:model"; null: "sim:default".',
    }),
    createdBy: z.string().nullable().meta({ description: "Who wrote it; null for runs and the CLI." }),
    contentHash: z.string().meta({
      description: "sha256 of the canonical content (prompts, demos, parameters, declared variables, model).",
    }),
    createdAt: timestampSchema,
  })
  .meta({ id: "PromptVersion" });
/** A prompt version as the API shows it (the repository's record has these fields and its task's id). */
export type PromptVersion = z.output<typeof promptVersionSchema>;

export const promptTaskSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    description: z.string(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    versionCount: z.number().int(),
  })
  .meta({ id: "PromptTask" });

export const promptTaskWithLatestSchema = promptTaskSchema
  .extend({ latestVersion: promptVersionSchema.nullable() })
  .meta({ id: "PromptTaskWithLatest" });

export const promptTaskListSchema = z.object({ items: z.array(promptTaskWithLatestSchema) });

export const taskParamsSchema = projectParamsSchema.extend({
  task: z.string().min(1).max(200).meta({ description: "Task name." }),
});

export const promptVersionParamsSchema = taskParamsSchema.extend({
  version: z.coerce.number().int().positive().meta({ description: "Version number." }),
});

export const promptVersionsQuerySchema = z.object({
  cursor: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "The `nextCursor` of the previous page; omit for the first page." }),
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: "Items per page (1–200)." }),
});

export const promptVersionPageSchema = z
  .object({
    task: promptTaskSchema,
    items: z.array(promptVersionSchema).meta({ description: "Newest version first." }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "PromptVersionPage" });

export const promptDiffQuerySchema = z.object({
  from: z.coerce.number().int().positive().meta({ description: "The older side (version number)." }),
  to: z.coerce.number().int().positive().meta({ description: "The newer side (version number)." }),
});

export const diffLineSchema = z
  .object({
    kind: z.enum(["same", "added", "removed"]),
    text: z.string(),
    oldLine: z.number().int().nullable().meta({ description: "Line in `from`; null for an added line." }),
    newLine: z.number().int().nullable().meta({ description: "Line in `to`; null for a removed line." }),
  })
  .meta({ id: "PromptDiffLine" });

export const promptFieldDiffSchema = z
  .object({
    field: z.enum(["systemPrompt", "outputPrompt", "demos", "params"]),
    label: z.string(),
    added: z.number().int(),
    removed: z.number().int(),
    lines: z.array(diffLineSchema),
  })
  .meta({ id: "PromptFieldDiff" });

export const promptDiffSchema = z
  .object({
    task: promptTaskSchema,
    from: promptVersionSchema,
    to: promptVersionSchema,
    identical: z.boolean().meta({ description: "True when both versions have the same content." }),
    fields: z.array(promptFieldDiffSchema).meta({
      description:
        "System prompt, output prompt, demos (as text) and model parameters (`name: value` lines), each a line diff.",
    }),
  })
  .meta({ id: "PromptDiff" });
