// What a run needs from a checked task file: the LLM gateway, the scorer and the workflow settings.
import { InputError } from "@/lib/core/errors";
import type { Scorer } from "@/lib/core/evaluate";
import type { OptimizerStrategy } from "@/lib/core/optimizer";
import { promptVariables } from "@/lib/core/prompt";
import type { PromptState } from "@/lib/core/types";
import type { OptimizationSettings } from "@/lib/core/workflow";
import type { Db } from "@/lib/db/client";
import { llmCacheRepository } from "@/lib/db/llm-cache";
import { type CreateLlmOptions, createLlm, type Gateway, type GatewayModelConfig } from "@/lib/llm/gateway";
import { createDbCacheStore } from "@/lib/llm/gateway/db-cache";
import { parseModelId } from "@/lib/llm/model-id";
import { createScorer, resolveMetrics } from "@/lib/metrics/registry";
import { getOptimizer, parseOptimizerOptions } from "@/lib/optimizers/registry";
import type { ModelConfig, TaskFile } from "@/lib/validation/task-file";
import type { ProviderCredentials } from "../credentials/for-models";

export interface RunContext {
  prompt: PromptState;
  variables: string[];
  /** The LLM gateway of this run; `close()` it when the run is over (it may hold a Redis connection). */
  llm: Gateway;
  scorer: Scorer;
  optimizer: OptimizerStrategy;
  settings: OptimizationSettings;
}

export function promptFromTask(task: TaskFile): PromptState {
  return {
    systemPrompt: task.prompt.system,
    outputPrompt: task.prompt.output,
    demos: task.prompt.demos,
    params: task.prompt.params,
  };
}

function checked<T>(file: string, field: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new InputError(`${file}: ${field}: ${(error as Error).message}`);
  }
}

function gatewayConfig(model: ModelConfig, credentials: ProviderCredentials | undefined): GatewayModelConfig {
  return {
    env: credentials?.models[model.id],
    baseURL: model.baseURL,
    apiKeyEnv: model.apiKeyEnv,
    price: model.price,
    concurrency: model.concurrency,
    rateLimit: model.rateLimit,
    timeoutMs: model.timeoutMs,
    maxRetries: model.maxRetries,
  };
}

export interface GatewayWiring {
  /** The database holding the response cache (its default store); without it, no cache. */
  db?: Db;
  /** Where REDIS_URL is read (default process.env): when set, the cache and the rate limits live in Redis. */
  env?: Record<string, string | undefined>;
  /**
   * Where each model's credentials and endpoint come from (`resolveProviderCredentials`,
   * lib/services/credentials/for-models.ts); default: process.env as it is (the CLI's own task files).
   */
  credentials?: ProviderCredentials;
  /** The project whose calls these are: response-cache hits never cross projects. */
  projectId?: string;
}

/**
 * The gateway settings for a task file: its models' limits, the response cache (database by default,
 * Redis when REDIS_URL is set; `cache.enabled: false` turns it off) and shared limits through Redis.
 * Batches and serving build their gateway from here too.
 */
export function gatewayOptions(
  task: Pick<TaskFile, "models" | "cache">,
  wiring: GatewayWiring = {},
): CreateLlmOptions {
  const redisUrl = (wiring.env ?? process.env).REDIS_URL?.trim() || undefined;
  const store = redisUrl
    ? "redis"
    : wiring.db
      ? createDbCacheStore(llmCacheRepository(wiring.db))
      : undefined;
  return {
    // One gateway entry per model id: when both roles use the same id, the task model's settings
    // (its concurrency and limits govern the bulk of the calls) apply to both.
    models: {
      [task.models.optimizer.id]: gatewayConfig(task.models.optimizer, wiring.credentials),
      [task.models.task.id]: gatewayConfig(task.models.task, wiring.credentials),
    },
    redis: redisUrl ? { url: redisUrl } : undefined,
    cache: task.cache.enabled && store ? { store, ttlSeconds: task.cache.ttlSeconds } : undefined,
    cacheNamespace: wiring.projectId,
    ...(wiring.credentials ? { env: wiring.credentials.env } : {}),
  };
}

/** Resolves every name in the task file (providers, metrics, strategy) or fails naming the field. */
export function buildRunContext(
  file: string,
  task: TaskFile,
  prompt: PromptState = promptFromTask(task),
  wiring: GatewayWiring = {},
): RunContext {
  checked(file, "models.task.id", () => parseModelId(task.models.task.id));
  checked(file, "models.optimizer.id", () => parseModelId(task.models.optimizer.id));
  const optimizer = checked(file, "optimizer.strategy", () => getOptimizer(task.optimizer.strategy));
  const resolved = checked(file, "metrics", () => resolveMetrics(task.metrics));
  const scorer = createScorer(task.metrics, { defaultModel: task.models.optimizer.id });
  const variables = promptVariables(prompt);
  if (variables.length === 0) {
    throw new InputError(
      `${file}: prompt.output: the template uses no {{variable}}, so every example would look the same`,
    );
  }
  for (const [i, demo] of prompt.demos.entries()) {
    for (const v of variables) {
      if (demo.input[v] === undefined)
        throw new InputError(`${file}: prompt.demos.${i}.input: missing variable "${v}"`);
    }
  }
  const llm = createLlm(gatewayOptions(task, wiring));
  const settings: OptimizationSettings = {
    prompt,
    taskModel: { id: task.models.task.id, concurrency: task.models.task.concurrency },
    optimizerModel: { id: task.models.optimizer.id },
    candidates: task.optimizer.candidates,
    failures: task.optimizer.failures,
    optimizerOptions: checked(file, "optimizer.options", () =>
      parseOptimizerOptions(task.optimizer.strategy, task.optimizer.options),
    ) as Record<string, unknown>,
    splits: task.splits,
    acceptance: task.acceptance,
    stop: task.stop,
    budget: task.budget,
    seed: task.seed,
    scoringCallsPerExample: resolved.filter((m) => m.metric.usesLlm).length,
  };
  return { prompt, variables, llm, scorer, optimizer, settings };
}
