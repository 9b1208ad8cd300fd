// What a run stores as it goes and when it ends: its progress, each iteration's summary, and its report —
// an optimization report (held-out baseline vs best, per-iteration history) or an evaluation report
// (the score of one prompt). The shapes of lib/core's types (Progress, OptimizationReport,
// EvaluationReport; run-state.test.ts fails to compile when they drift apart), used by lib/db to parse
// the stored JSON and by the API to describe it. Reports are told apart by `kind`, like runs.
import * as z from "zod";
import { fewShotDemoSchema, modelParamsSchema } from "./prompts";

export const intervalSchema = z
  .object({ mean: z.number(), low: z.number(), high: z.number(), n: z.number().int() })
  .meta({ id: "Interval", description: "A mean with its 95% bootstrap interval over n examples." });

export const usageSchema = z
  .object({
    calls: z.number(),
    cachedCalls: z.number(),
    failedCalls: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    costUsd: z.number(),
  })
  .meta({ id: "Usage", description: "Provider calls (cached and failed ones included), tokens and cost." });

export const promptStateSchema = z
  .object({
    systemPrompt: z.string(),
    outputPrompt: z.string(),
    demos: z.array(fewShotDemoSchema),
    params: modelParamsSchema,
  })
  .meta({ id: "PromptState" });

export const runProgressSchema = z
  .object({
    step: z.string(),
    iteration: z.number().int(),
    done: z.number().int(),
    total: z.number().int(),
    calls: z.number().int(),
    failedCalls: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    elapsedMs: z.number(),
    etaMs: z.number().nullable(),
  })
  .meta({ id: "RunProgress", description: "The last progress snapshot (written at most twice a second)." });

export const STOP_REASONS = [
  "target_reached",
  "patience",
  "max_iterations",
  "no_failures",
  "budget_calls",
  "budget_tokens",
  "budget_costUsd",
  "budget_wallSeconds",
] as const;

const promptMeasuresSchema = z.object({
  costPerCall: z.number(),
  tokensPerCall: z.number(),
  latencyMs: z.number(),
  promptChars: z.number(),
});

const reportCandidateSchema = z.object({
  index: z.number().int(),
  prompt: promptStateSchema,
  rationale: z.string(),
  status: z.enum(["evaluated", "rejected"]),
  rejectReason: z.string().optional(),
  trainScore: z.number().nullable(),
  validationScore: z.number().nullable(),
  gain: intervalSchema.nullable(),
  accepted: z.boolean(),
  /** With acceptance objectives: cost, latency and length on validation, and the caps it breaks. */
  measures: promptMeasuresSchema.optional(),
  violates: z.array(z.string()).optional(),
});

/** What an iteration row keeps besides its columns (index, scores, acceptance). */
export const iterationSummarySchema = z
  .object({
    incumbentTrain: intervalSchema,
    trainExamples: z.number().int(),
    validationExamples: z.number().int(),
    rejectedProposals: z.array(z.object({ reason: z.string() })),
    usage: usageSchema,
  })
  .meta({ id: "RunIterationSummary" });

const reportIterationSchema = iterationSummarySchema.extend({
  index: z.number().int(),
  incumbentValidation: z.number(),
  candidates: z.array(reportCandidateSchema),
  accepted: z.number().int().nullable(),
  incumbentMeasures: promptMeasuresSchema.optional(),
});

export const optimizationReportSchema = z.object({
  stopReason: z.enum(STOP_REASONS),
  iterations: z.array(reportIterationSchema),
  baseline: promptStateSchema,
  best: promptStateSchema,
  bestOrigin: z.object({ iteration: z.number().int(), candidate: z.number().int() }).nullable(),
  splits: z.object({
    train: z.number().int(),
    validation: z.number().int(),
    test: z.number().int(),
    folds: z.number().int().nullable(),
  }),
  validation: z.object({ baseline: z.number(), best: z.number() }),
  test: z.object({
    baseline: intervalSchema,
    best: intervalSchema,
    gain: intervalSchema,
    complete: z.boolean(),
  }),
  usage: usageSchema,
  elapsedMs: z.number(),
});

export const evaluationReportSchema = z.object({
  score: intervalSchema,
  metrics: z.record(z.string(), z.number()),
  failed: z.number().int(),
  usage: usageSchema,
  elapsedMs: z.number(),
});

/** A finished run's report: `kind` says which. */
export const runReportSchema = z
  .discriminatedUnion("kind", [
    optimizationReportSchema.extend({ kind: z.literal("optimize") }),
    evaluationReportSchema.extend({ kind: z.literal("eval") }),
  ])
  .meta({
    id: "RunReport",
    description:
      "optimize: per-iteration history, validation and held-out test scores of baseline and best; " +
      "eval: the evaluated prompt's score and metric means.",
  });

export type RunProgress = z.output<typeof runProgressSchema>;
export type IterationSummary = z.output<typeof iterationSummarySchema>;
export type OptimizationRunReport = Extract<RunReport, { kind: "optimize" }>;
export type EvaluationRunReport = Extract<RunReport, { kind: "eval" }>;
export type RunReport = z.output<typeof runReportSchema>;
