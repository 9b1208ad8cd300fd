// Every Json column's shape, in one place: the versioned documents lib/db writes and reads back
// (stored-document.ts) and the plain values it parses. lib/db is the only reader and writer; what leaves
// it is typed (a run's report as a union by `kind`), so nothing else casts stored JSON.
import * as z from "zod";
import { latencySummarySchema } from "./common";
import { fewShotDemoSchema, modelParamsSchema } from "./prompts";
import {
  evaluationReportSchema,
  iterationSummarySchema,
  optimizationReportSchema,
  runProgressSchema,
} from "./run-state";
import { storedRunConfigSchema } from "./runs";
import { storedDocument } from "./stored-document";
import { cacheConfigSchema, modelConfigSchema } from "./task-file";

// ---- versioned documents ----------------------------------------------------------------------------

/** OptimizationRun.config: the complete task file a run executes, and where it came from. */
export const runConfigDocument = storedDocument({ name: "run config", schema: storedRunConfigSchema });
/** OptimizationRun.progress. */
export const runProgressDocument = storedDocument({ name: "run progress", schema: runProgressSchema });
/** OptimizationRun.report of a run of kind "optimize" (the row's kind says which report it holds). */
export const optimizationReportDocument = storedDocument({
  name: "optimization report",
  schema: optimizationReportSchema,
});
/** OptimizationRun.report of a run of kind "eval". */
export const evaluationReportDocument = storedDocument({
  name: "evaluation report",
  schema: evaluationReportSchema,
});
/** Iteration.summary. */
export const iterationSummaryDocument = storedDocument({
  name: "iteration summary",
  schema: iterationSummarySchema,
});
/** OptimizationRun.latency and BatchJob.latency. */
export const latencyDocument = storedDocument({ name: "latency summary", schema: latencySummarySchema });
/** BatchJob.model: the resolved task model configuration. */
export const batchModelDocument = storedDocument({ name: "batch model", schema: modelConfigSchema });
/** BatchJob.cache: the response cache settings. */
export const batchCacheDocument = storedDocument({ name: "batch cache settings", schema: cacheConfigSchema });

// ---- plain values -----------------------------------------------------------------------------------

/** Example.input, Example.extra, BatchRow.input: a row's variables by column. */
export const storedVariablesSchema = z.record(z.string(), z.string());
/** DatasetVersion.columns and inputColumns, BatchJob.columns, PromptVersion.variables. */
export const storedNamesSchema = z.array(z.string());
/** PromptVersion.demos, Candidate.demos. */
export const storedDemosSchema = z.array(fewShotDemoSchema);
/** PromptVersion.params, Candidate.params, ModelConfig.params. */
export const storedParamsSchema = modelParamsSchema;
/** ExampleResult.metrics: each metric's score, with its reason and sub-scores. */
export const storedMetricScoresSchema = z.record(
  z.string(),
  z.object({
    score: z.number(),
    reason: z.string().optional(),
    details: z.record(z.string(), z.number()).optional(),
  }),
);
/** MetricConfig.options, AuditLog.before and after: objects whose keys belong to their owner. */
export const storedObjectSchema = z.record(z.string(), z.unknown());
/** The result of the step that saved a run's winner (StepCheckpoint "finish/save-winner"). */
export const savedWinnerStepSchema = z.object({ version: z.number().int().optional() }).nullable();
