// The serving API's contract (docs/api-serving.md): the resolved version an application fetches, the
// messages it renders to, and a generation through Strop's gateway. `{task}` in the paths is the task's
// name — the "prompt name" applications use.
import * as z from "zod";
import { idSchema } from "./common";
import { variableSchemaSchema } from "./prompt-variables";
import { fewShotDemoSchema, modelParamsSchema } from "./prompts";

const variableValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** Generation.variables: the values a generation rendered with (after defaults and coercion). */
export const storedGenerationVariablesSchema = z.record(z.string(), variableValueSchema);

const labelField = z
  .string()
  .min(1)
  .max(100)
  .meta({ description: "A label (`production`, `staging`, a custom one, or `latest`: the newest version)." });
const versionField = z.coerce.number().int().positive().meta({ description: "A version number." });

function oneSelector(value: { label?: string; version?: number }, ctx: z.RefinementCtx): void {
  if (value.label !== undefined && value.version !== undefined)
    ctx.addIssue({ code: "custom", path: ["version"], message: "give a label or a version, not both" });
}

/** Who the request is for, when an experiment splits the label's traffic (docs/api-experiments.md). */
const subjectField = z
  .string()
  .min(1)
  .max(200)
  .meta({
    description:
      "A user, session or request id: while an experiment runs on the label, the subject gets its variant " +
      "(sticky); `generate` stores it with the generation, so a later experiment can use the subject's " +
      "earlier feedback to narrow its intervals (CUPED). The `X-Strop-Subject` header does the same.",
  });

/** Which experiment and variant answered (present only when one did). */
const servedExperimentFields = {
  experiment: z
    .object({
      id: idSchema,
      variant: z.number().int().meta({ description: "The variant's index (0 is control)." }),
      exposureId: idSchema,
    })
    .optional()
    .meta({ description: "Set when an experiment running on the label chose the version for the subject." }),
  feedbackToken: z.string().optional().meta({
    description:
      "Signed and short-lived: lets a browser POST /api/v1/feedback about this answer without a key.",
  }),
};

export const servingQuerySchema = z
  .object({
    label: labelField.optional().meta({ description: "Default `production` (unless `version` is given)." }),
    version: versionField.optional(),
    subject: subjectField.optional(),
  })
  .superRefine(oneSelector);

export const servedPromptSchema = z
  .object({
    id: idSchema.meta({ description: "The version's id." }),
    name: z.string().meta({ description: "The prompt (task) name." }),
    version: z.number().int(),
    label: z
      .string()
      .nullable()
      .meta({ description: "The label asked for (`production` by default); null when asked by version." }),
    system: z.string().meta({ description: "The system prompt." }),
    output: z.string().meta({ description: "The user-message template, with `{{variables}}`." }),
    demos: z.array(fewShotDemoSchema),
    params: modelParamsSchema,
    // A version without a declared schema gets the one its template implies (every `{{variable}}` a
    // required string).
    variables: variableSchemaSchema,
    model: z.string().nullable().meta({
      description:
        "The model configuration or `provider:model` id `generate` calls; null: the project's default (`sim:default`).",
    }),
    ...servedExperimentFields,
  })
  .meta({ id: "ServedPrompt" });
export type ServedPromptBody = z.output<typeof servedPromptSchema>;

const selectorFields = {
  label: labelField.optional().meta({ description: "Default `production` (unless `version` is given)." }),
  version: z.number().int().positive().optional().meta({ description: "A version number." }),
  subject: subjectField.optional(),
};

const variablesField = z
  .record(z.string(), z.unknown())
  .default({})
  .meta({ description: "Values of the version's variables, by name (checked against its schema)." });

export const renderBodySchema = z
  .object({ variables: variablesField, ...selectorFields })
  .strict()
  .superRefine(oneSelector);

export const chatMessageSchema = z
  .object({ role: z.enum(["system", "user", "assistant"]), content: z.string() })
  .meta({ id: "ChatMessage" });

export const renderedPromptSchema = z
  .object({
    id: idSchema.meta({ description: "The version's id." }),
    name: z.string(),
    version: z.number().int(),
    label: z.string().nullable(),
    model: z.string().nullable(),
    params: modelParamsSchema,
    messages: z.array(chatMessageSchema).meta({
      description: "System prompt, each demo as a user/assistant pair, then the rendered template.",
    }),
    ...servedExperimentFields,
  })
  .meta({ id: "RenderedPrompt" });

export const generateBodySchema = z
  .object({
    variables: variablesField,
    ...selectorFields,
    cache: z
      .enum(["use", "bypass", "refresh"])
      .default("use")
      .meta({
        description:
          "The project's response cache: `use` answers a repeated identical call from it, `bypass` neither " +
          "reads nor writes it, `refresh` calls the model and overwrites the entry.",
      }),
  })
  .strict()
  .superRefine(oneSelector);

export const generationSchema = z
  .object({
    generationId: idSchema.meta({ description: "The stored generation (for feedback and datasets)." }),
    output: z.string(),
    usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }),
    latencyMs: z.number(),
    costUsd: z.number().meta({ description: "Estimated from the model's price (0 for a cached answer)." }),
    cached: z.boolean().meta({ description: "Answered from the project's response cache." }),
    model: z.string().meta({ description: "The `provider:model` id called." }),
    id: idSchema.meta({ description: "The version's id." }),
    version: z.number().int(),
    label: z.string().nullable(),
    ...servedExperimentFields,
  })
  .meta({ id: "Generation" });
