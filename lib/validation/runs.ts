// Optimization runs: what a client asks for (the run spec, POST /api/v1/projects/{p}/runs) and what a
// stored run keeps (the resolved config every runner executes from).
import { z } from "zod";
import { errorBudgetSchema } from "./error-budget";
import {
  acceptanceSchema,
  budgetSchema,
  metricConfigSchema,
  modelConfigSchema,
  optimizerConfigSchema,
  splitsSchema,
  stopSchema,
  taskFileSchema,
} from "./task-file";

/**
 * A model: the name of a model configuration of the project (ML settings), an inline "provider:model"
 * id, or an inline model configuration (id, baseURL, apiKeyEnv, concurrency, params, price, …).
 */
export const modelRefSchema = z.union([z.string().min(1), modelConfigSchema]);

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
