// The templates API: list (search and filters), one template in full, "use this template", saving a
// prompt version as a project template, importing and exporting YAML files. The template file itself
// is ./templates.ts.
import * as z from "zod";
import { projectParamsSchema } from "./projects";
import { taskNameSchema } from "./prompt-authoring";
import { variableSchemaSchema } from "./prompt-variables";
import { demoSchema, metricConfigSchema, modelParamsSchema } from "./task-file";
import { TEMPLATE_CATEGORIES, templateDocumentSchema, templateSlugSchema } from "./templates";

export const templateCategorySchema = z.enum(TEMPLATE_CATEGORIES);

export const templateParamsSchema = projectParamsSchema.extend({
  template: z.string().min(1).max(200).meta({ description: "The template's slug." }),
});

export const templateListQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional().meta({
      description: "Words that must all appear in the name, description, tags or notes (any case).",
    }),
    category: templateCategorySchema.optional(),
    metric: z.string().max(100).optional().meta({ description: "Only templates suggesting this metric." }),
  })
  .strict();
export type TemplateListQuery = z.output<typeof templateListQuerySchema>;

const sourceSchema = z.enum(["library", "project"]).meta({
  description: "library: shipped with Strop; project: saved or imported in this project.",
});

export const templateSummarySchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    category: templateCategorySchema,
    description: z.string(),
    tags: z.array(z.string()),
    metrics: z.array(z.string()).meta({ description: "Names of the suggested metrics." }),
    variables: z.array(z.string()).meta({ description: "Names of the prompt's variables." }),
    rowCount: z.number().int().meta({ description: "Example rows that come with it." }),
    source: sourceSchema,
    createdAt: z
      .date()
      .nullable()
      .meta({ description: "When a project template was saved (library: null)." }),
  })
  .meta({ id: "TemplateSummary" });
export type TemplateSummary = z.output<typeof templateSummarySchema>;

export const templateListSchema = z.object({ items: z.array(templateSummarySchema) });

export const templateDetailSchema = templateSummarySchema
  .extend({
    notes: z.string(),
    prompt: z.object({
      system: z.string(),
      output: z.string(),
      params: modelParamsSchema,
      demos: z.array(demoSchema),
    }),
    variableSchema: variableSchemaSchema,
    metricConfigs: z.array(metricConfigSchema.extend({ options: z.record(z.string(), z.unknown()) })),
    dataset: z.object({
      expected: z.string(),
      id: z.string().nullable(),
      columns: z.array(z.string()),
      preview: z
        .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))
        .meta({ description: "The first rows." }),
    }),
  })
  .meta({ id: "TemplateDetail" });
export type TemplateDetail = z.output<typeof templateDetailSchema>;

export const useTemplateBodySchema = z
  .object({
    name: taskNameSchema.optional().meta({
      description: "The new task's name; default: the template's slug (then -2, -3… while taken).",
    }),
  })
  .strict()
  .default({})
  .meta({ id: "UseTemplate" });

export const usedTemplateSchema = z
  .object({
    task: z.object({ id: z.string(), name: z.string() }),
    version: z.object({ id: z.string(), version: z.number().int() }),
    dataset: z
      .object({
        id: z.string(),
        name: z.string(),
        versionId: z.string(),
        version: z.number().int(),
        rowCount: z.number().int(),
      })
      .nullable()
      .meta({ description: "The dataset made of the template's rows (null: the template has none)." }),
    metricConfigs: z.array(z.object({ id: z.string(), name: z.string(), metric: z.string() })),
    url: z.string().meta({ description: "The new task's page, where it can be evaluated or optimized." }),
  })
  .meta({ id: "UsedTemplate" });
export type UsedTemplate = z.output<typeof usedTemplateSchema>;

export const saveTemplateBodySchema = z
  .object({
    task: taskNameSchema,
    version: z.number().int().positive(),
    slug: templateSlugSchema,
    name: templateDocumentSchema.shape.name,
    category: templateCategorySchema,
    description: templateDocumentSchema.shape.description,
    notes: templateDocumentSchema.shape.notes,
    tags: templateDocumentSchema.shape.tags,
    metrics: templateDocumentSchema.shape.metrics.default([{ name: "exact_match", options: {}, weight: 1 }]),
    dataset: z
      .object({
        dataset: z.string().min(1).max(200).meta({ description: "Dataset id or name." }),
        version: z.number().int().positive().optional().meta({ description: "Default: its newest version." }),
      })
      .strict()
      .optional()
      .meta({ description: "The rows to ship with the template; omit for none." }),
  })
  .strict()
  .meta({ id: "SaveTemplate" });
export type SaveTemplateBody = z.output<typeof saveTemplateBodySchema>;

export const TEMPLATE_YAML_TYPES = ["application/yaml", "text/yaml", "application/x-yaml", "text/plain"];
