// Optimization runs: what a client asks for (the run spec, POST /api/v1/projects/{p}/runs) and what a
// stored run keeps (the resolved config every runner executes from).
import { z } from "zod";
import { idSchema, latencySummarySchema, timestampSchema } from "./common";
import { errorBudgetSchema } from "./error-budget";
import { projectParamsSchema } from "./projects";
import { fewShotDemoSchema, modelParamsSchema, promptSourceSchema } from "./prompts";
import { intervalSchema, iterationSummarySchema, runProgressSchema, runReportSchema } from "./run-state";
import {
  acceptanceSchema,
  budgetSchema,
  metricConfigSchema,
  modelConfigSchema,
  optimizerConfigSchema,
  refusedInApp,
  splitsSchema,
  stopSchema,
  taskFileSchema,
} from "./task-file";

/**
 * An inline model configuration as the app and the API accept it: everything a task file's model has
 * except `baseURL` and `apiKeyEnv` (lib/services/credentials/for-models.ts).
 */
export const appModelConfigSchema = modelConfigSchema.extend({
  baseURL: refusedInApp,
  apiKeyEnv: refusedInApp,
});

/**
 * A model: the name of a model configuration of the project (ML settings), an inline "provider:model"
 * id, or an inline model configuration (id, credential, concurrency, params, price, …).
 */
export const modelRefSchema = z.union([z.string().min(1), appModelConfigSchema]);

/**
 * A metric: the name of a metric configuration of the project, the name of a registered metric
 * ("exact_match"), or an inline metric configuration { name, options, weight }.
 */
export const metricRefSchema = z.union([z.string().min(1), metricConfigSchema]);

export const runSpecSchema = z
  .object({
    /** Task name or id. */
    task: z.string().min(1),
    /** Prompt version number of the task to start from; default: the latest. */
    promptVersion: z.number().int().positive().optional(),
    datasetVersionId: z.string().min(1),
    models: z.object({ task: modelRefSchema, optimizer: modelRefSchema }).strict(),
    metrics: z.array(metricRefSchema).min(1, "name at least one metric"),
    /** Strategy, K candidates per iteration, failing examples shown to the optimizer. */
    optimizer: optimizerConfigSchema.optional(),
    splits: splitsSchema.optional(),
    acceptance: acceptanceSchema.optional(),
    stop: stopSchema.optional(),
    budget: budgetSchema.optional(),
    /** The LLM response cache of the run (default: on). */
    cache: taskFileSchema.shape.cache.optional(),
    errorBudget: errorBudgetSchema.optional(),
    seed: z.number().int().optional(),
  })
  .strict();

/** What a client sends (defaults not applied yet). */
export type RunSpecInput = z.input<typeof runSpecSchema>;
export type RunSpec = z.infer<typeof runSpecSchema>;

/**
 * The config stored on a run: a complete task file (every name resolved, every default applied) plus
 * where the run came from. Runs from the CLI also keep the task file's path; runs from the API keep
 * the spec as sent. Any task name is allowed here (the task exists already).
 */
export const storedRunConfigSchema = taskFileSchema.extend({
  name: z.string().min(1),
  /** "cli": started by `strop optimize|eval` (resumed with `strop runs resume`); "api": by the app. */
  origin: z.enum(["cli", "api"]).optional(),
  /** CLI: the task file's absolute path. */
  taskFile: z.string().optional(),
  /** CLI eval: the prompt version asked for. */
  version: z.number().int().optional(),
  /** API: the run spec as sent. */
  spec: z.unknown().optional(),
});

export type StoredRunConfig = z.infer<typeof storedRunConfigSchema>;

/** Who resumes an unfinished run: the app (API runs) or the user through the CLI (CLI runs). */
export function runOrigin(config: Pick<StoredRunConfig, "origin" | "taskFile">): "cli" | "api" {
  return config.origin ?? (config.taskFile !== undefined ? "cli" : "api");
}

// ---- The Runs REST API (/api/v1/projects/{project}/runs) ----------------------------------------------

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const RUN_KINDS = ["optimize", "eval"] as const;
export const RESULT_VIEWS = ["all", "regressed", "improved", "unchanged"] as const;
export const CANDIDATE_STATUSES = ["proposed", "rejected", "evaluated"] as const;

export const runStatusSchema = z.enum(RUN_STATUSES);
export const runKindSchema = z.enum(RUN_KINDS);
export const runnerNameSchema = z.enum(["embedded", "inngest"]);
export const candidateStatusSchema = z.enum(CANDIDATE_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;
export type RunKind = z.infer<typeof runKindSchema>;
export type CandidateStatus = z.infer<typeof candidateStatusSchema>;
export const resultViewSchema = z.enum(RESULT_VIEWS).meta({
  description:
    "all; regressed (the winner scored lower than the baseline), improved (higher) or unchanged (equal).",
});
export type ResultView = z.infer<typeof resultViewSchema>;

export const runParamsSchema = projectParamsSchema.extend({
  run: idSchema.meta({ description: "Run id." }),
});

export const runListQuerySchema = z.object({
  status: runStatusSchema.optional().meta({ description: "Only runs with this status." }),
  kind: runKindSchema.optional().meta({ description: "optimize or eval." }),
  task: z.string().min(1).max(200).optional().meta({ description: "Only runs of this task (name)." }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "The `nextCursor` of the previous page; omit for the first page." }),
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: "Items per page (1–200)." }),
});

export const runResultsQuerySchema = z.object({
  view: resultViewSchema.default("all"),
  cursor: z.string().max(400).optional().meta({ description: "`nextCursor` of the previous page." }),
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: "Rows per page (1–500)." }),
});

export const runResultsDownloadQuerySchema = z.object({
  format: z.enum(["csv", "jsonl"]).default("csv").meta({ description: "csv (default) or jsonl." }),
  view: resultViewSchema.default("all"),
});

export const runEventsQuerySchema = z.object({
  lastEventId: z
    .string()
    .regex(/^(\d{1,9}|end)$/, "an event id this stream sent: an iteration number or end")
    .optional()
    .meta({ description: "Fallback for the Last-Event-ID header (EventSource sends the header itself)." }),
});

export const runScoreSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("optimize"),
      baseline: intervalSchema,
      best: intervalSchema,
      gain: intervalSchema,
      complete: z.boolean(),
    }),
    z.object({ kind: z.literal("eval"), score: intervalSchema }),
  ])
  .meta({ id: "RunScore", description: "Held-out baseline vs best (optimize) or the evaluated score." });

export const runSummarySchema = z
  .object({
    id: idSchema,
    taskName: z.string(),
    kind: runKindSchema,
    status: runStatusSchema,
    error: z.string().nullable(),
    calls: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    models: z
      .object({ task: z.string(), optimizer: z.string() })
      .nullable()
      .meta({ description: "The task and optimizer model ids the run used." }),
    progress: runProgressSchema.nullable(),
    score: runScoreSchema.nullable(),
    createdAt: timestampSchema,
    startedAt: timestampSchema.nullable(),
    finishedAt: timestampSchema.nullable(),
  })
  .meta({ id: "RunSummary" });

export const runPageSchema = z
  .object({
    items: z.array(runSummarySchema).meta({ description: "Newest first." }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "RunPage" });

export const createdRunSchema = z
  .object({
    id: idSchema,
    status: z.literal("queued"),
    runner: runnerNameSchema.meta({ description: "Where the run executes: in the app, or on Inngest." }),
  })
  .meta({ id: "CreatedRun" });

export const cancelledRunSchema = z
  .object({ id: idSchema, status: z.literal("cancelled") })
  .meta({ id: "CancelledRun" });

export const savedWinnerSchema = z
  .object({
    id: idSchema.meta({ description: "The new prompt version's id." }),
    version: z.number().int().meta({ description: "The new prompt version's number." }),
  })
  .meta({ id: "SavedWinner" });

const versionRefSchema = z
  .object({ id: idSchema, version: z.number().int(), source: promptSourceSchema })
  .meta({ id: "RunVersionRef" });

export const iterationSchema = z
  .object({
    id: idSchema,
    index: z.number().int(),
    incumbentScore: z.number().meta({ description: "The incumbent's validation score." }),
    accepted: z.boolean(),
    acceptedCandidate: z.number().int().nullable(),
    summary: iterationSummarySchema,
    createdAt: timestampSchema,
  })
  .meta({ id: "RunIteration" });

export const candidateSchema = z
  .object({
    id: idSchema,
    iteration: z.number().int(),
    index: z.number().int(),
    systemPrompt: z.string(),
    outputPrompt: z.string(),
    demos: z.array(fewShotDemoSchema),
    params: modelParamsSchema,
    rationale: z.string(),
    status: z.enum(CANDIDATE_STATUSES),
    rejectReason: z.string().nullable(),
    trainScore: z.number().nullable(),
    validationScore: z.number().nullable(),
    gainLow: z.number().nullable(),
    gainHigh: z.number().nullable(),
    accepted: z.boolean(),
  })
  .meta({ id: "RunCandidate" });

export const runDetailSchema = z
  .object({
    id: idSchema,
    taskId: idSchema,
    taskName: z.string(),
    kind: runKindSchema,
    status: runStatusSchema,
    runner: z.enum(["embedded", "inngest", "cli"]).meta({
      description: "Runs started with the CLI execute in the CLI; others in the app's active runner.",
    }),
    baselineVersionId: idSchema,
    bestVersionId: idSchema.nullable(),
    datasetVersionId: idSchema,
    seed: z.number().int(),
    error: z.string().nullable(),
    failedStep: z.string().nullable(),
    calls: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    retries: z
      .number()
      .int()
      .meta({ description: "Provider requests the gateway retried (429s, 5xx, timeouts)." }),
    latency: latencySummarySchema.nullable().meta({ description: "Stored when it finished; null before." }),
    config: z.record(z.string(), z.unknown()).meta({ description: "The resolved run configuration." }),
    progress: runProgressSchema.nullable(),
    report: runReportSchema
      .nullable()
      .meta({ description: "The final report; null until the run finished with one." }),
    score: runScoreSchema.nullable(),
    iterations: z.array(iterationSchema),
    candidates: z.array(candidateSchema),
    references: z.object({
      baselineVersion: versionRefSchema,
      bestVersion: versionRefSchema.nullable(),
      outputs: z.array(versionRefSchema).meta({ description: "Versions this run saved." }),
      dataset: z.object({
        id: idSchema,
        name: z.string(),
        version: z.number().int(),
        rowCount: z.number().int(),
        sourceName: z.string(),
      }),
    }),
    winner: z
      .object({
        saved: z.boolean().meta({ description: "The winner was saved as a prompt version." }),
        version: z.number().int().nullable().meta({ description: "That version's number." }),
        available: z.boolean().meta({
          description: "The run succeeded and its best prompt beat the baseline (it can be saved).",
        }),
      })
      .meta({ id: "RunWinner" }),
    createdAt: timestampSchema,
    startedAt: timestampSchema.nullable(),
    finishedAt: timestampSchema.nullable(),
  })
  .meta({ id: "RunDetail" });

export const resultSideSchema = z
  .object({ output: z.string().nullable(), error: z.string().nullable(), score: z.number() })
  .meta({ id: "RunResultSide" });

export const runResultItemSchema = z
  .object({
    exampleKey: z.string(),
    rowNumber: z.number().int(),
    input: z.record(z.string(), z.string()),
    expected: z.string(),
    baseline: resultSideSchema,
    winner: resultSideSchema
      .nullable()
      .meta({ description: "null for eval runs, and for examples the winner was not scored on." }),
    delta: z.number().nullable().meta({ description: "winner.score − baseline.score." }),
  })
  .meta({ id: "RunResult" });

export const runResultPageSchema = z
  .object({
    items: z.array(runResultItemSchema).meta({ description: "In dataset row order." }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "RunResultPage" });

const spendSchema = z
  .object({
    calls: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number().nullable().meta({ description: "USD; null when a model's price is unknown." }),
  })
  .meta({ id: "EstimatedSpend" });

export const runEstimateSchema = z
  .object({
    kind: z.enum(["optimize", "eval", "batch"]),
    examples: z.number().int().meta({ description: "Examples (or rows) the estimate is for." }),
    splits: z
      .object({
        train: z.number().int(),
        validation: z.number().int(),
        test: z.number().int(),
        minibatch: z.number().int(),
      })
      .nullable(),
    iterations: z.object({ upper: z.number().int(), expected: z.number().int() }).nullable(),
    upper: spendSchema.meta({ description: "At most (every iteration runs, nothing is reused)." }),
    expected: spendSchema.meta({ description: "Likely (the stop rules end the loop, results are reused)." }),
    cappedBy: z
      .array(z.enum(["calls", "tokens", "costUsd"]))
      .meta({ description: "Budgets that cap the upper bound: the run stops when one is spent." }),
    paid: z.boolean().meta({ description: "A model of the run has a price (or an unknown one)." }),
    confirmAboveUsd: z.number().meta({ description: "The project's confirmation threshold (USD)." }),
    needsConfirmation: z.boolean().meta({
      description: "Paid, and the upper bound of the cost is above the threshold (or unknown).",
    }),
  })
  .meta({ id: "RunEstimate" });
export type RunEstimateView = z.output<typeof runEstimateSchema>;

export type RunScore = z.output<typeof runScoreSchema>;
export type RunSummary = z.output<typeof runSummarySchema>;
export type RunDetailView = z.output<typeof runDetailSchema>;
export type RunWinnerState = RunDetailView["winner"];
export type RunReferencesView = RunDetailView["references"];
export type CreatedRun = z.output<typeof createdRunSchema>;
export type CancelledRun = z.output<typeof cancelledRunSchema>;
export type SavedWinner = z.output<typeof savedWinnerSchema>;
export type RunResultItem = z.output<typeof runResultItemSchema>;
export type RunResultPage = z.output<typeof runResultPageSchema>;
export type RunIteration = z.output<typeof iterationSchema>;
export type RunCandidate = z.output<typeof candidateSchema>;
