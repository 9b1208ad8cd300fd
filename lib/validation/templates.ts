// A template: a prompt ready to use (system and output prompt, typed variables, model parameters, demos),
// an example dataset, the metrics that suit it and notes on when to use it. One YAML document per
// template: the built-in library (lib/templates/library/*.yaml) and the files projects import and export
// share this shape, so a template travels between teams as one file.
import * as z from "zod";
import { variableSchemaSchema } from "./prompt-variables";
import { demoSchema, metricConfigSchema, modelParamsSchema } from "./task-file";

export const TEMPLATE_CATEGORIES = [
  "classification",
  "extraction",
  "summarization",
  "question-answering",
  "rewriting",
  "translation",
  "code-review",
  "routing",
  "safety",
  "grading",
] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** A dataset cell: what a CSV or JSONL row of an uploaded dataset holds. */
const cellSchema = z.union([z.string().max(20_000), z.number(), z.boolean()]);

export const templateSlugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and '-'");

export const templateDocumentSchema = z
  .object({
    schemaVersion: z.literal(1).default(1),
    slug: templateSlugSchema,
    name: z.string().trim().min(1).max(120),
    category: z.enum(TEMPLATE_CATEGORIES),
    description: z.string().trim().min(1).max(500).meta({ description: "One or two sentences." }),
    notes: z
      .string()
      .trim()
      .max(5000)
      .default("")
      .meta({ description: "When to use it, when not, what to watch for, how to adapt it." }),
    tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
    prompt: z
      .object({
        system: z.string().max(100_000).default(""),
        output: z.string().min(1).max(100_000),
        params: modelParamsSchema.default({}),
        demos: z.array(demoSchema).max(100).default([]),
      })
      .strict(),
    variables: variableSchemaSchema,
    metrics: z.array(metricConfigSchema).min(1).max(10),
    dataset: z
      .object({
        /** The column of each row holding the expected output; the variables are the input columns. */
        expected: z.string().min(1).max(100),
        /** The column holding a row's id, if the rows have one. */
        id: z.string().min(1).max(100).optional(),
        rows: z
          .array(z.record(z.string().max(100), cellSchema))
          .max(10_000)
          .default([]),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "TemplateDocument" });

export type TemplateDocumentInput = z.input<typeof templateDocumentSchema>;
export type TemplateDocument = z.output<typeof templateDocumentSchema>;
