// A/B tests of prompt versions on live traffic (docs/api-experiments.md): the experiment a user creates,
// its variants, an assignment of a subject, and the analysis snapshots the charts are drawn from.
import * as z from "zod";
import { idSchema, timestampSchema } from "./common";
import { PROMOTION_STATUSES } from "./experiment-promotion";
import { projectParamsSchema } from "./projects";
import { labelNameSchema } from "./prompt-labels";
import { runSpecSchema } from "./runs";

export const EXPERIMENT_STATUSES = ["draft", "running", "paused", "stopped"] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];
export const EXPERIMENT_MODES = ["fixed", "bandit"] as const;
export const EXPERIMENT_OUTCOMES = ["winner", "control", "inconclusive", "invalid", "stopped"] as const;

/**
 * Metrics measured on every generation without anyone sending feedback. All are worse when higher, so
 * each can also be a guardrail.
 */
export const AUTOMATIC_METRICS = {
  errorRate: { kind: "proportion", label: "Error rate" },
  latencyMs: { kind: "mean", label: "Latency (ms)" },
  costUsd: { kind: "mean", label: "Cost per call (USD)" },
  outputTokens: { kind: "mean", label: "Output tokens" },
} as const;
export type AutomaticMetric = keyof typeof AUTOMATIC_METRICS;
const automaticMetricSchema = z.enum(
  Object.keys(AUTOMATIC_METRICS) as [AutomaticMetric, ...AutomaticMetric[]],
);

const feedbackNameSchema = z
  .string()
  .min(1, "name the feedback")
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, "use letters, digits, '-', '_', '.' or ':'")
  .meta({ description: "A feedback name, e.g. `thumbs_up` or `resolved`.", example: "thumbs_up" });

export const experimentMetricSchema = z
  .discriminatedUnion("source", [
    z.object({
      source: z.literal("feedback"),
      name: feedbackNameSchema,
      kind: z.enum(["proportion", "mean"]).meta({
        description:
          "proportion: yes/no values (a thumbs-up rate; only 0 and 1 count); mean: numbers (a score).",
      }),
      better: z.enum(["higher", "lower"]).default("higher"),
      missing: z.enum(["skip", "zero"]).default("skip").meta({
        description:
          "Subjects without this feedback: skip them (a rating) or count them as 0 (a conversion).",
      }),
      range: z
        .object({ min: z.number().finite(), max: z.number().finite() })
        .refine((r) => r.min < r.max, { message: "min must be below max", path: ["max"] })
        .optional()
        .meta({
          description:
            "For a mean: the values that count (e.g. 1–5 stars); others are left out, so one sender's " +
            "outlandish number cannot decide. A proportion counts 0 and 1 only.",
        }),
    }),
    z.object({
      source: z.literal("automatic"),
      name: automaticMetricSchema,
      better: z.enum(["higher", "lower"]).default("lower"),
    }),
  ])
  .meta({ id: "ExperimentMetric" });
export type ExperimentMetric = z.output<typeof experimentMetricSchema>;

export const guardrailSchema = z
  .object({
    name: automaticMetricSchema,
    tolerance: z.number().min(0).default(0).meta({
      description: "How much worse than control is tolerated, in the metric's unit (0: any confident harm).",
    }),
  })
  .meta({ id: "ExperimentGuardrail" });
export type Guardrail = z.output<typeof guardrailSchema>;

export const storedMetricSchema = experimentMetricSchema;
export const storedGuardrailsSchema = z.array(guardrailSchema);

export const experimentVariantInputSchema = z.object({
  version: z.number().int().positive().meta({ description: "A version number of the task." }),
  weight: z.number().positive("give the variant a positive weight").max(1000).default(1),
});

export const createExperimentBodySchema = z
  .object({
    name: z.string().trim().min(1, "name the experiment").max(100),
    task: z.string().min(1, "choose a prompt").max(200).meta({ description: "The task (prompt) name." }),
    label: labelNameSchema.default("production"),
    mode: z.enum(EXPERIMENT_MODES).default("fixed"),
    variants: z
      .array(experimentVariantInputSchema)
      .min(2, "an experiment needs at least two variants")
      .max(10, "at most 10 variants")
      .meta({ description: "The first is control." }),
    metric: experimentMetricSchema,
    guardrails: z.array(guardrailSchema).max(4).default([]),
    alpha: z.number().gt(0).max(0.2).default(0.05),
    baseline: z.number().meta({ description: "The control's expected rate (0–1) or mean." }),
    minimumDetectableEffect: z
      .number()
      .positive("the smallest difference worth detecting must be positive")
      .meta({ description: "The smallest absolute difference worth detecting (e.g. 0.05 for 5 points)." }),
    standardDeviation: z
      .number()
      .positive()
      .optional()
      .meta({ description: "For a mean: the standard deviation of one value." }),
    maxDurationHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(24 * 14),
  })
  .strict()
  .superRefine((body, ctx) => {
    const versions = body.variants.map((v) => v.version);
    versions.forEach((version, i) => {
      if (versions.indexOf(version) !== i)
        ctx.addIssue({
          code: "custom",
          path: ["variants", i, "version"],
          message: "each variant needs its own version",
        });
    });
    const kind = metricKind(body.metric);
    if (kind === "proportion" && !(body.baseline >= 0 && body.baseline <= 1))
      ctx.addIssue({ code: "custom", path: ["baseline"], message: "a rate's baseline is between 0 and 1" });
    if (body.metric.source === "feedback" && body.metric.kind === "proportion" && body.metric.range)
      ctx.addIssue({
        code: "custom",
        path: ["metric", "range"],
        message: "a proportion counts 0 and 1 only: give a range for a mean",
      });
    if (kind === "mean" && body.standardDeviation === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["standardDeviation"],
        message: "a mean needs its standard deviation",
      });
  });
export type CreateExperimentInput = z.output<typeof createExperimentBodySchema>;

/** The metric's kind: a feedback metric declares it, an automatic one has its own. */
/** The feedback values a metric counts: 0 and 1 for a proportion, its range (or any number) for a mean. */
export function countedValues(
  metric: Extract<ExperimentMetric, { source: "feedback" }>,
): { min: number; max: number } | null {
  return metric.kind === "proportion" ? { min: 0, max: 1 } : (metric.range ?? null);
}

export function metricKind(metric: ExperimentMetric): "proportion" | "mean" {
  return metric.source === "feedback" ? metric.kind : AUTOMATIC_METRICS[metric.name].kind;
}

export const experimentParamsSchema = projectParamsSchema.extend({ experiment: idSchema });

export const experimentListQuerySchema = z.object({
  status: z.enum(EXPERIMENT_STATUSES).optional(),
});

/** An interval's bounds; null where it is unbounded (no data yet). */
const intervalSchema = z.tuple([z.number().nullable(), z.number().nullable()]);

/** Whether an analysis used CUPED (docs/experiment-statistics.md), on how many subjects, and what it gained. */
export const cupedSnapshotSchema = z
  .object({
    applied: z.boolean(),
    subjects: z.number().int().meta({ description: "Subjects measured on the primary metric." }),
    withPreValue: z
      .number()
      .int()
      .meta({ description: "Of them, those with a value of the metric in the window before the start." }),
    windowDays: z.number().int(),
    theta: z.number().nullable(),
    varianceReduction: z
      .number()
      .nullable()
      .meta({ description: "1 − adjusted / raw variance, pooled over the variants (null: not applied)." }),
    intervalNarrowing: z
      .number()
      .nullable()
      .meta({ description: "How much narrower the intervals are: 1 − √(1 − varianceReduction)." }),
    reason: z.string(),
  })
  .meta({ id: "ExperimentCuped" });
export type CupedSnapshot = z.output<typeof cupedSnapshotSchema>;

/** One analysis, as stored and as the API answers it. Numbers only: the charts are drawn from a list of these. */
export const experimentSnapshotSchema = z
  .object({
    variants: z.array(
      z.object({
        index: z.number().int(),
        exposures: z.number().int(),
        n: z.number().int(),
        mean: z.number(),
        interval: intervalSchema,
        difference: z
          .object({ estimate: z.number(), interval: intervalSchema, pValue: z.number() })
          .nullable()
          .meta({ description: "Against control, always-valid (safe to peek); null for control." }),
        chanceToBeatControl: z.number().nullable(),
        probabilityBest: z.number(),
        allocation: z.number().meta({ description: "The share of new traffic the variant got (0–1)." }),
        guardrailBreaches: z.array(z.string()),
      }),
    ),
    sampleRatio: z.object({ pValue: z.number(), mismatch: z.boolean() }),
    decision: z.enum(["continue", "winner", "control", "inconclusive", "invalid"]),
    winner: z.number().int().nullable().default(null).meta({ description: "The winning variant's index." }),
    reason: z.string(),
    cuped: cupedSnapshotSchema
      .nullable()
      .default(null)
      .meta({ description: "CUPED variance reduction; null in analyses stored before it existed." }),
  })
  .meta({ id: "ExperimentSnapshot" });
export type ExperimentSnapshot = z.output<typeof experimentSnapshotSchema>;

export const experimentAnalysisSchema = experimentSnapshotSchema
  .extend({ id: idSchema, createdAt: timestampSchema })
  .meta({ id: "ExperimentAnalysis" });
export type ExperimentAnalysisView = z.output<typeof experimentAnalysisSchema>;

export const experimentVariantSchema = z
  .object({
    id: idSchema,
    index: z.number().int().meta({ description: "0 is control." }),
    version: z.number().int(),
    versionId: idSchema,
    weight: z.number(),
    banditWeight: z.number().nullable().meta({ description: "Bandit mode: the share it gets now." }),
    exposures: z.number().int(),
  })
  .meta({ id: "ExperimentVariant" });

export const experimentSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    task: z.string(),
    label: z.string(),
    status: z.enum(EXPERIMENT_STATUSES),
    mode: z.enum(EXPERIMENT_MODES),
    metric: experimentMetricSchema,
    guardrails: z.array(guardrailSchema),
    alpha: z.number(),
    baseline: z.number(),
    minimumDetectableEffect: z.number(),
    standardDeviation: z.number().nullable(),
    plannedSamplePerVariant: z.number().int(),
    maxDurationHours: z.number(),
    decision: z.enum(EXPERIMENT_OUTCOMES).nullable(),
    decisionReason: z.string().nullable(),
    winnerVariant: z.number().int().nullable().meta({ description: "The winning variant's index." }),
    promotion: z.string().nullable().meta({ description: "What happened to the label at the decision." }),
    promotionStatus: z.enum(PROMOTION_STATUSES).nullable().meta({
      description:
        "The promotion job's status (kind `experiment-promotion`) when the decision named a winner; null otherwise.",
    }),
    createdBy: z.string().nullable(),
    createdAt: timestampSchema,
    startedAt: timestampSchema.nullable(),
    stoppedAt: timestampSchema.nullable(),
    lastAnalyzedAt: timestampSchema.nullable(),
    variants: z.array(experimentVariantSchema),
  })
  .meta({ id: "Experiment" });
export type ExperimentView = z.output<typeof experimentSchema>;

export const experimentListSchema = z.object({ items: z.array(experimentSchema) });

export const experimentDetailSchema = experimentSchema
  .extend({
    analyses: z
      .array(experimentAnalysisSchema)
      .meta({ description: "Every analysis, oldest first (the latest is the last)." }),
  })
  .meta({ id: "ExperimentDetail" });
export type ExperimentDetail = z.output<typeof experimentDetailSchema>;

export const subjectIdSchema = z.string().min(1, "give a subject id").max(200).meta({
  description: "Who is exposed: a user, session or request id (sticky per subject).",
  example: "user-42",
});

export const assignBodySchema = z.object({ subjectId: subjectIdSchema }).strict();

export const assignmentSchema = z
  .object({
    experimentId: idSchema,
    exposureId: idSchema,
    variant: z.number().int().meta({ description: "The variant's index (0 is control)." }),
    version: z.number().int(),
    versionId: idSchema,
    firstExposure: z.boolean().meta({ description: "true when this call recorded the exposure." }),
  })
  .meta({ id: "ExperimentAssignment" });
export type Assignment = z.output<typeof assignmentSchema>;

export const analyzeResultSchema = z.object({ id: idSchema, status: z.literal("queued") });

export const feedbackDatasetSchema = z
  .object({
    datasetId: idSchema,
    datasetName: z.string(),
    datasetVersionId: idSchema,
    version: z.number().int(),
    rowCount: z.number().int(),
    created: z.boolean().meta({ description: "false: a version with exactly these corrections existed." }),
  })
  .meta({ id: "FeedbackDataset" });

export const optimizeFromFeedbackBodySchema = z
  .object({
    models: runSpecSchema.shape.models.optional().meta({ description: "Default: the offline simulator." }),
    metrics: runSpecSchema.shape.metrics.optional().meta({ description: "Default: exact_match." }),
  })
  .strict();

export const optimizeFromFeedbackSchema = z
  .object({ runId: idSchema, datasetVersionId: idSchema, promptVersion: z.number().int() })
  .meta({ id: "OptimizeFromFeedback" });
