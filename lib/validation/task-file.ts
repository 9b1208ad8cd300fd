// The task file (`strop optimize <task-file>`): JSON or YAML. One schema, used by the CLI and its docs.
import { z } from "zod";
import { DEFAULT_ERROR_BUDGET, errorBudgetSchema } from "./error-budget";

const positiveInt = z.number().int().positive();
/** Gateway limits: zero or negative is refused (the message names the field through its path). */
const positiveLimit = z.number().positive("must be a positive number");
const fraction = z.number().gt(0).lt(1);

export const modelParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    maxOutputTokens: positiveInt.optional(),
    topP: z.number().gt(0).max(1).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export const priceSchema = z
  .object({
    /** USD per million input tokens. */
    input: z.number().min(0),
    /** USD per million output tokens. */
    output: z.number().min(0),
  })
  .strict();

export const rateLimitSchema = z
  .object({
    /** The provider's request limit for this model and credential. */
    requestsPerMinute: positiveLimit.optional(),
    /** The provider's token limit (input + output) for this model and credential. */
    tokensPerMinute: positiveLimit.optional(),
  })
  .strict();

export const modelConfigSchema = z
  .object({
    /** "provider:model": openai, anthropic, vertex, openai-compatible, sim. */
    id: z.string().regex(/^[a-z][a-z0-9-]*:.+$/, 'expected "provider:model", e.g. "openai:gpt-4o-mini"'),
    /**
     * A provider credential stored in the project (ML settings), by name: its key and its endpoint.
     * Default: the server's environment, else the credential named after the provider.
     */
    credential: z.string().min(1).max(100).optional(),
    /** Task files run by the machine's own user only (the app refuses it): the endpoint. */
    baseURL: z.url().optional(),
    /** Task files only (the app refuses it): the environment variable holding the API key. */
    apiKeyEnv: z.string().optional(),
    concurrency: positiveInt.max(256).default(8),
    params: modelParamsSchema.default({}),
    price: priceSchema.optional(),
    rateLimit: rateLimitSchema.optional(),
    /** Time limit of one attempt, in ms (default 120000). */
    timeoutMs: positiveLimit.optional(),
    /** Retries after a 429, 408, 5xx, timeout or connection failure (default 4). */
    maxRetries: z
      .number()
      .int("must be a positive integer")
      .positive("must be a positive integer")
      .max(20)
      .optional(),
  })
  .strict();

/**
 * `baseURL` and `apiKeyEnv` where the app and the API take a model (model configurations, run and batch
 * specs): refused, naming the field — whoever writes a configuration must not choose where a secret is
 * sent or which server variable becomes one (docs/security.md).
 */
export const refusedInApp = z
  .never({
    error:
      "cannot be set in the app: a configuration does not choose an endpoint or an environment " +
      "variable; name a provider credential (`credential`), which an admin binds to its endpoint",
  })
  .optional();

export const cacheConfigSchema = z
  .object({
    /** Answer repeated identical calls from the response cache (database, or Redis with REDIS_URL). */
    enabled: z.boolean().default(true),
    /** How long a cached response stays valid (default 7 days). */
    ttlSeconds: z.number().int().positive("must be a positive number").default(604_800),
  })
  .strict();

export const metricConfigSchema = z
  .object({
    name: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
    weight: z.number().positive().default(1),
  })
  .strict();

export const demoSchema = z.object({ input: z.record(z.string(), z.string()), output: z.string() }).strict();

export const promptSchema = z
  .object({
    system: z.string().default(""),
    output: z.string().min(1, "the output prompt template must not be empty"),
    demos: z.array(demoSchema).default([]),
    params: modelParamsSchema.default({}),
  })
  .strict();

export const datasetRefSchema = z
  .object({
    /** CSV, JSONL or JSON file, relative to the task file. */
    path: z.string().min(1),
    /** Column (CSV) or key (JSONL) holding the expected output. */
    expected: z.string().default("expected"),
    /** Columns used as input variables; default: every column but `expected` and `id`. */
    inputs: z.array(z.string().min(1)).optional(),
    /** Column holding a stable example id; default: the row number. */
    id: z.string().optional(),
  })
  .strict();

export const splitsSchema = z
  .object({
    /** Fractions of the dataset (the rest is training data). */
    validation: fraction.default(0.25),
    test: fraction.default(0.25),
    /** Examples per iteration drawn from the training split; default: all of it. */
    minibatch: positiveInt.optional(),
    /** k-fold cross-validation of acceptance instead of one fixed validation split. */
    folds: z.number().int().min(2).max(20).optional(),
    /** Seed of the split (default: the run's seed); runs from the app take the dataset version's. */
    seed: z.number().int().optional(),
  })
  .strict()
  .refine((s) => s.validation + s.test < 0.9, {
    message: "validation + test must leave at least 10% for training",
  });

export const optimizerConfigSchema = z
  .object({
    strategy: z.string().default("critique-rewrite"),
    /** Candidates proposed per iteration. */
    candidates: positiveInt.max(16).default(3),
    /** Failing examples shown to the optimizer. */
    failures: positiveInt.max(100).default(8),
    /** The strategy's own options, checked by its schema (lib/optimizers/registry.ts) when a run is built. */
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const nonNegative = z.number().min(0);

export const objectivesSchema = z
  .object({
    /** A contender whose mean USD per task-model call on validation is above this is never accepted. */
    maxCostPerCall: nonNegative.optional(),
    maxLatencyMs: nonNegative.optional(),
    /** Characters of system prompt, output prompt and demos. */
    maxPromptChars: z.number().int().positive().optional(),
    /** Quality points (0-1) one unit costs: the gain tested is score minus the weighted costs. */
    weights: z
      .object({
        costPerCall: nonNegative.optional(),
        latencyMs: nonNegative.optional(),
        promptChars: nonNegative.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const acceptanceSchema = z
  .object({
    /** Confidence of the paired bootstrap interval of the validation gain. */
    confidence: z.number().gt(0.5).lt(1).default(0.95),
    /** The interval's lower bound must exceed this gain. */
    minGain: z.number().min(0).default(0),
    bootstrapSamples: z.number().int().min(200).max(100_000).default(2000),
    /** How many of the best candidates on training data are checked on validation. */
    validateTop: positiveInt.max(16).default(2),
    /** Cost, latency and prompt length beside quality: caps and trade-offs (lib/core/acceptance.ts). */
    objectives: objectivesSchema.optional(),
  })
  .strict();

export const stopSchema = z
  .object({
    maxIterations: positiveInt.max(100).default(5),
    /** Iterations without an accepted candidate before stopping. */
    patience: positiveInt.default(2),
    /** Stop once the incumbent's validation score reaches this. */
    targetScore: z.number().min(0).max(1).optional(),
  })
  .strict();

export const budgetSchema = z
  .object({
    calls: positiveInt.optional(),
    tokens: positiveInt.optional(),
    costUsd: z.number().positive().optional(),
    wallSeconds: z.number().positive().optional(),
  })
  .strict();

export const taskFileSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9][\w.-]*$/, "use letters, digits, '-', '_' or '.'"),
    description: z.string().default(""),
    prompt: promptSchema,
    dataset: datasetRefSchema,
    models: z.object({ task: modelConfigSchema, optimizer: modelConfigSchema }).strict(),
    metrics: z.array(metricConfigSchema).min(1, "name at least one metric"),
    optimizer: optimizerConfigSchema.default({ strategy: "critique-rewrite", candidates: 3, failures: 8 }),
    splits: splitsSchema.default({ validation: 0.25, test: 0.25 }),
    acceptance: acceptanceSchema.default({
      confidence: 0.95,
      minGain: 0,
      bootstrapSamples: 2000,
      validateTop: 2,
    }),
    stop: stopSchema.default({ maxIterations: 5, patience: 2 }),
    budget: budgetSchema.default({}),
    cache: cacheConfigSchema.default({ enabled: true, ttlSeconds: 604_800 }),
    seed: z.number().int().default(42),
    /** Failed provider calls tolerated before the run fails (see lib/validation/error-budget.ts). */
    errorBudget: errorBudgetSchema.default(DEFAULT_ERROR_BUDGET),
  })
  .strict();

/** A stored configuration of the project (ML settings), by name: `{ config: "<name>" }`. */
export const configRefSchema = z
  .object({ config: z.string().trim().min(1, "name a stored configuration") })
  .strict();

const exactlyOne = (inline: string) => ({
  error: `give exactly one of "${inline}" (an inline configuration) or "config" (a stored configuration's name)`,
});

/** A model as a task file may write it: inline (`id`, …) or a stored model configuration (`config`). */
export const modelSourceSchema = z.union([modelConfigSchema, configRefSchema], exactlyOne("id"));
/** A metric as a task file may write it: inline (`name`, …) or a stored metric configuration (`config`). */
export const metricSourceSchema = z.union([metricConfigSchema, configRefSchema], exactlyOne("name"));

/**
 * The task file as written: models and metrics may name stored configurations, which are resolved
 * (lib/services/settings.ts) into the complete `TaskFile` every run executes from.
 */
export const taskFileSourceSchema = taskFileSchema.extend({
  models: z.object({ task: modelSourceSchema, optimizer: modelSourceSchema }).strict(),
  metrics: z.array(metricSourceSchema).min(1, "name at least one metric"),
});

export type ConfigRef = z.infer<typeof configRefSchema>;
export type TaskFileSource = z.infer<typeof taskFileSourceSchema>;

export function isConfigRef(value: unknown): value is ConfigRef {
  return typeof value === "object" && value !== null && "config" in value;
}

export type TaskFile = z.infer<typeof taskFileSchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type CacheConfig = z.infer<typeof cacheConfigSchema>;
export type MetricConfig = z.infer<typeof metricConfigSchema>;
