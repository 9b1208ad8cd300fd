// The playground's contract (docs/api-playground.md): one request runs the same variable values through
// up to four columns — each a saved version of the task or an unsaved draft, on a model — and the answer
// streams back as newline-delimited JSON records: text deltas per column, then each column's result
// (tokens, latency, cost) or its error.
import * as z from "zod";
import { projectParamsSchema } from "./projects";
import { newVersionBodySchema } from "./prompt-authoring";

/** Columns one run may compare: each is a provider call, paid for. */
export const MAX_PLAYGROUND_COLUMNS = 4;

export const playgroundParamsSchema = projectParamsSchema;

/** A prompt being written: what a new version holds, without its message and serving model. */
export const playgroundDraftSchema = newVersionBodySchema.omit({ message: true, model: true }).meta({
  id: "PlaygroundDraft",
  description: "An unsaved prompt: systemPrompt, outputPrompt, demos, params and (optionally) variables.",
});
export type PlaygroundDraft = z.output<typeof playgroundDraftSchema>;

export const playgroundColumnSchema = z
  .object({
    version: z.number().int().positive().optional().meta({ description: "A version of `task`." }),
    draft: playgroundDraftSchema.optional(),
    model: z.string().trim().min(1).max(200).optional().meta({
      description:
        "A model configuration's name or a \"provider:model\" id. Default: the version's model, else sim:default.",
    }),
  })
  .strict()
  .superRefine((column, ctx) => {
    if ((column.version === undefined) === (column.draft === undefined))
      ctx.addIssue({ code: "custom", path: ["version"], message: "give a version or a draft (one of them)" });
  })
  .meta({ id: "PlaygroundColumn" });
export type PlaygroundColumn = z.output<typeof playgroundColumnSchema>;

export const playgroundRunBodySchema = z
  .object({
    task: z.string().min(1).max(100).optional().meta({
      description: "The task (prompt name) whose versions the columns name; needed when one names a version.",
    }),
    columns: z
      .array(playgroundColumnSchema)
      .min(1, "add at least one column")
      .max(MAX_PLAYGROUND_COLUMNS, `compare at most ${MAX_PLAYGROUND_COLUMNS} columns at once`),
    variables: z
      .record(z.string().max(100), z.unknown())
      .default({})
      .meta({ description: "Values by variable name; each column takes the ones its prompt declares." }),
    cache: z.enum(["use", "bypass"]).default("use").meta({
      description: '"bypass": fresh answers, not the project\'s response cache.',
    }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.task === undefined && body.columns.some((c) => c.version !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["task"],
        message: "name the task whose versions the columns use",
      });
  })
  .meta({ id: "PlaygroundRun" });
export type PlaygroundRunBody = z.output<typeof playgroundRunBodySchema>;

const usageSchema = z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() });

/** One line of the streamed answer. */
export const playgroundRecordSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("start"),
      column: z.number().int(),
      model: z.string(),
      version: z.number().int().nullable(),
    }),
    z.object({ type: z.literal("delta"), column: z.number().int(), text: z.string() }),
    z.object({
      type: z.literal("result"),
      column: z.number().int(),
      text: z.string(),
      usage: usageSchema,
      latencyMs: z.number(),
      costUsd: z.number(),
      cached: z.boolean(),
    }),
    z.object({
      type: z.literal("error"),
      column: z.number().int(),
      code: z.string(),
      message: z.string(),
    }),
  ])
  .meta({
    id: "PlaygroundRecord",
    description:
      "A line of the NDJSON answer: `start` per column, `delta` (text as it arrives), then `result` " +
      "(usage, latencyMs, costUsd, cached) or `error` (code, message) per column.",
  });
export type PlaygroundRecord = z.output<typeof playgroundRecordSchema>;
