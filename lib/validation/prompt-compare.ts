// Evaluations of prompt versions and the comparison of two versions: text diff, parameter, model and
// variable changes, and their scores on the same dataset where both were evaluated.
import * as z from "zod";
import { idSchema, timestampSchema } from "./common";
import { variableSchemaSchema } from "./prompt-variables";
import { promptFieldDiffSchema, promptTaskSchema, promptVersionSchema } from "./prompts";
import { intervalSchema } from "./run-state";

export const datasetRefSchema = z
  .object({ versionId: idSchema, name: z.string(), version: z.number().int() })
  .meta({ id: "EvaluatedDataset" });

export const versionEvaluationSchema = z
  .object({
    runId: idSchema,
    kind: z.enum(["eval", "optimize"]),
    role: z.enum(["evaluated", "baseline", "winner"]).meta({
      description:
        "What the version was in the run: an evaluation's prompt, an optimization's baseline or winner.",
    }),
    dataset: datasetRefSchema,
    split: z.enum(["all", "test"]).meta({
      description: "all: the whole dataset (evaluation); test: the held-out test split (optimization).",
    }),
    score: intervalSchema,
    metrics: z
      .record(z.string(), z.number())
      .nullable()
      .meta({ description: "Each metric's mean (evaluations); null for optimizations." }),
    finishedAt: timestampSchema.nullable(),
  })
  .meta({
    id: "PromptVersionEvaluation",
    description: "The score of a version in a succeeded run of kind eval or optimize.",
  });
export type VersionEvaluation = z.output<typeof versionEvaluationSchema>;

export const requiredVariableChangesSchema = z
  .object({
    added: z.array(z.string()).meta({ description: "Callers must now send these." }),
    removed: z.array(z.string()).meta({ description: "Needed before, not declared now (values refused)." }),
    retyped: z.array(z.string()).meta({ description: "Needed by both, with another type." }),
  })
  .meta({ id: "RequiredVariableChanges" });

export const compareQuerySchema = z.object({
  from: z.coerce.number().int().positive().meta({ description: "One side (version number)." }),
  to: z.coerce.number().int().positive().meta({ description: "The other side (version number)." }),
});

const paramValue = z.number().nullable();

export const versionComparisonSchema = z
  .object({
    task: promptTaskSchema,
    from: promptVersionSchema,
    to: promptVersionSchema,
    identical: z.boolean().meta({ description: "Same prompts, demos, parameters, variables and model." }),
    fields: z.array(promptFieldDiffSchema).meta({ description: "Line diffs, as GET …/diff gives them." }),
    params: z
      .array(z.object({ name: z.string(), from: paramValue, to: paramValue }))
      .meta({ description: "Model parameters whose value differs (null: not set)." }),
    model: z.object({ from: z.string().nullable(), to: z.string().nullable(), changed: z.boolean() }),
    variables: z.object({
      from: variableSchemaSchema,
      to: variableSchemaSchema,
      added: z.array(z.string()).meta({ description: "Declared by `to` only." }),
      removed: z.array(z.string()).meta({ description: "Declared by `from` only." }),
      changed: z.array(z.string()).meta({ description: "Declared by both, differently." }),
      required: requiredVariableChangesSchema,
    }),
    scores: z
      .array(
        z.object({
          dataset: datasetRefSchema,
          from: versionEvaluationSchema,
          to: versionEvaluationSchema,
          sameRun: z.boolean().meta({ description: "Both scores come from one run (same examples)." }),
        }),
      )
      .meta({ description: "Per dataset version both were evaluated on: each side's newest evaluation." }),
  })
  .meta({ id: "PromptVersionComparison" });
export type VersionComparison = z.output<typeof versionComparisonSchema>;
