// The LLM gateway: the core's LlmPort over the AI SDK, and the single entry point (`createLlm`) used by
// the engine, batches and serving alike. Every call passes, in order: the response cache (hits and
// coalesced duplicates never reach the provider) → the model's FIFO concurrency queue → the rate
// limiter of its credential → one attempt with a time limit → retry with backoff → accounting.
// One file per concern in ./gateway/; this file only composes them.
import type { EmbedResponse, LlmPort, LlmRequest, LlmResponse } from "../core/ports";
import { LlmError } from "../core/ports";
import { type EgressPolicy, egressPolicyFromEnv } from "./egress";
import { connectionFailureDetail, redact, secretsOf, toLlmError } from "./errors";
import { type CacheStore, cacheKey, MemoryCacheStore, ResponseCache } from "./gateway/cache";
import { checkDefaults, checkModelConfig, type GatewayModelConfig } from "./gateway/config";
import { createHttpFetch, type HostResolver } from "./gateway/http-fetch";
import { type ModelRuntime, ModelRuntimes } from "./gateway/models";
import { embedOnce, generateOnce, withTimeout } from "./gateway/provider-call";
import {
  type BucketCharge,
  bucket,
  estimatePromptTokens,
  processRateLimiter,
  type RateLimiter,
} from "./gateway/rate-limit";
import { connectRedis, type RedisClient } from "./gateway/redis";
import { createRedisCacheStore } from "./gateway/redis-cache";
import { RedisRateLimiter } from "./gateway/redis-rate-limit";
import { classifyFailure, DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from "./gateway/retry";
import { type GatewayStats, StatsCollector } from "./gateway/stats";
import { StreamBrokenError, streamOnce } from "./gateway/stream-call";
import { costUsd } from "./prices";
import type { Env } from "./providers/index";

export type { GatewayModelConfig, RateLimitSettings } from "./gateway/config";
export type { CallStats, GatewayStats, LatencySummary } from "./gateway/stats";

export interface GatewayCacheOptions {
  /** A store (e.g. the database's, see lib/db/llm-cache.ts), or "memory", or "redis" (needs `redis`). */
  store: CacheStore | "memory" | "redis";
  /** How long an entry stays valid (default 7 days). */
  ttlSeconds?: number;
}

export interface CreateLlmOptions {
  /** Per-model settings keyed by "provider:model". */
  models?: Record<string, GatewayModelConfig>;
  /** Where credentials come from; default process.env. */
  env?: Env;
  /** Retries for models without their own `maxRetries` (default 4; 0 turns retries off). */
  maxRetries?: number;
  /** Per-attempt time limit for models without their own `timeoutMs` (default 120 000 ms). */
  timeoutMs?: number;
  /** The response cache; none unless given. "sim:*" models are never cached (they are local and free). */
  cache?: GatewayCacheOptions;
  /** Redis for rate limits shared by every process (and the "redis" cache store). */
  redis?: { url: string; keyPrefix?: string };
  /** Backoff tuning and the test seams (clock, randomness, sleep). */
  retry?: Partial<RetryPolicy>;
  /**
   * Which addresses provider calls may connect to (./egress.ts), enforced by the gateway's own HTTP
   * client on the address connected to. Default: STROP_EGRESS_ALLOW of process.env (public addresses
   * only when unset) — the operator's setting, never `env`, which may come from a project.
   */
  egress?: EgressPolicy;
  /** Test seam: resolves host names for the egress check (default: the system resolver). */
  resolveHost?: HostResolver;
  /**
   * Scopes the response cache: entries and the coalescing of identical calls in flight are keyed by it,
   * so a hit never crosses namespaces (the services pass the project id).
   */
  cacheNamespace?: string;
  /**
   * Where operational warnings go (Redis unreachable, cache store failing, the cause of a connection
   * failure, which users only see as "connection failed"); default console.warn.
   */
  onWarning?: (message: string) => void;
}

/** The gateway: an LlmPort plus scoping, accounting and shutdown. */
export interface Gateway extends LlmPort {
  /** The scope calls through this handle are counted under, if any. */
  readonly scope: string | undefined;
  /**
   * `generate`, with the answer's text handed to `onText` as it arrives (a cache hit or a coalesced
   * duplicate: all of it at once). Same cache, limits and accounting; a failure after text has been
   * handed over is not retried (the caller would see it twice).
   */
  stream(request: LlmRequest, onText: (delta: string) => void): Promise<LlmResponse>;
  /** The same gateway (same cache, queues, limits), counting calls under `scope` (a run or batch id). */
  withScope(scope: string): Gateway;
  /** A snapshot of the accounting: total, per model, per scope. */
  stats(): GatewayStats;
  /** Drops a finished scope's counters. */
  forgetScope(scope: string): void;
  /** Waits for pending cache writes, then closes the Redis connection, if any. Use no more afterwards. */
  close(): Promise<void>;
}

const DEFAULT_TTL_SECONDS = 7 * 24 * 3600;

interface Attempt<T> {
  result: T;
  inputTokens: number;
  outputTokens: number;
}

export function createLlm(options: CreateLlmOptions = {}): Gateway {
  const env = options.env ?? process.env;
  const configs = options.models ?? {};
  checkDefaults({
    maxRetries: options.maxRetries,
    timeoutMs: options.timeoutMs,
    ttlSeconds: options.cache?.ttlSeconds,
  });
  for (const [id, config] of Object.entries(configs)) checkModelConfig(id, config);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const secrets = [
    ...secretsOf(
      env,
      Object.values(configs).flatMap((config) => (config.apiKeyEnv ? [config.apiKeyEnv] : [])),
    ),
    ...Object.values(configs).flatMap((config) => (config.env ? secretsOf(config.env) : [])),
  ].sort((a, b) => b.length - a.length);
  const warned = new Set<string>();
  const warn = (kind: string, message: string) => {
    if (warned.has(kind)) return;
    warned.add(kind);
    (options.onWarning ?? console.warn)(`strop gateway: ${message}`);
  };

  const prefix = options.redis?.keyPrefix ?? "strop:";
  const redis: RedisClient | undefined = options.redis
    ? connectRedis(options.redis.url, (error) => warn("redis", `Redis unreachable (${error.message})`))
    : undefined;
  const local = processRateLimiter();
  const limiter: RateLimiter = redis ? new RedisRateLimiter(redis, prefix) : local;

  let cache: ResponseCache | undefined;
  if (options.cache) {
    let store: CacheStore;
    if (options.cache.store === "memory") store = new MemoryCacheStore();
    else if (options.cache.store === "redis") {
      if (!redis) throw new LlmError('cache.store "redis" needs the redis option (REDIS_URL)', false);
      store = createRedisCacheStore(redis, prefix);
    } else store = options.cache.store;
    cache = new ResponseCache(
      store,
      (options.cache.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000,
      () => policy.now(),
      { onStoreError: (error) => warn("cache", `cache store failing, calls go uncached (${String(error)})`) },
    );
  }

  const stats = new StatsCollector();
  const models = new ModelRuntimes(configs, {
    env,
    maxRetries: options.maxRetries,
    timeoutMs: options.timeoutMs,
    fetch: createHttpFetch({
      policy: options.egress ?? egressPolicyFromEnv(process.env),
      resolve: options.resolveHost,
    }),
  });

  function charges(rt: ModelRuntime, tokens: number, requests: number): BucketCharge[] {
    const limits = rt.config.rateLimit;
    const out: BucketCharge[] = [];
    if (limits?.requestsPerMinute) out.push(bucket(`${rt.limitKey}:rpm`, limits.requestsPerMinute, requests));
    if (limits?.tokensPerMinute) out.push(bucket(`${rt.limitKey}:tpm`, limits.tokensPerMinute, tokens));
    return out;
  }

  /** Reserves in the shared limiter; while Redis is unreachable, limits hold per process. */
  async function reserve(list: BucketCharge[]): Promise<number> {
    if (list.length === 0) return 0;
    try {
      return await limiter.reserve(list);
    } catch (error) {
      warn("limiter", `shared rate limiter failing, limiting per process (${(error as Error).message})`);
      return local.reserve(list);
    }
  }

  async function adjust(list: BucketCharge[]): Promise<void> {
    if (list.length === 0) return;
    await limiter.adjust(list).catch(() => local.adjust(list));
  }

  /**
   * The queue → limiter → attempt → retry loop shared by generate and embed. `tokenEstimate` is what
   * the token limiter is charged before the attempt; the real usage corrects it afterwards.
   */
  async function withPolicy<T>(
    rt: ModelRuntime,
    scope: string | undefined,
    signal: AbortSignal | undefined,
    tokenEstimate: number,
    attempt: (signal: AbortSignal) => Promise<Attempt<T>>,
  ): Promise<Attempt<T> & { latencyMs: number }> {
    // Latency runs from the first request sent (after the queue and the limiter) to the answer,
    // retries and their waits included.
    let started: number | undefined;
    for (let retry = 0; ; retry++) {
      const release = rt.queue ? await rt.queue.acquire(signal) : undefined;
      let failure: unknown;
      try {
        const reserved = charges(rt, tokenEstimate, 1);
        const wait = await reserve(reserved);
        if (wait > 0) {
          stats.record(rt.id, scope, { kind: "wait", ms: wait });
          try {
            await policy.sleep(wait, signal);
          } catch (error) {
            void adjust(reserved.map((c) => ({ ...c, cost: -c.cost })));
            throw error;
          }
        }
        stats.record(rt.id, scope, { kind: "request", retry: retry > 0 });
        started ??= performance.now();
        const done = await withTimeout(rt.timeoutMs, signal, attempt);
        const used = done.inputTokens + done.outputTokens;
        if (rt.config.rateLimit?.tokensPerMinute && used !== tokenEstimate)
          void adjust(charges(rt, used - tokenEstimate, 0));
        return { ...done, latencyMs: performance.now() - started };
      } catch (error) {
        failure = error;
      } finally {
        release?.();
      }
      if (signal?.aborted) throw failure;
      const kind = classifyFailure(failure, policy.now());
      if (!kind.retryable || retry >= rt.maxRetries) throw new GaveUp(failure, retry + 1);
      await policy.sleep(retryDelay(policy, retry, kind), signal);
    }
  }

  async function callProvider(
    rt: ModelRuntime,
    request: LlmRequest,
    scope: string | undefined,
    onText?: (delta: string) => void,
  ) {
    const { model, unsupported } = models.language(rt);
    const params = request.params ?? {};
    const estimate = rt.config.rateLimit?.tokensPerMinute
      ? estimatePromptTokens(request.messages) + (params.maxOutputTokens ?? rt.outputEstimate)
      : 0;
    const done = await withPolicy(rt, scope, request.signal, estimate, async (signal) => {
      const result = onText
        ? await streamOnce(model, unsupported, request, signal, onText)
        : await generateOnce(model, unsupported, request, signal);
      return { result, ...result.usage };
    });
    rt.outputEstimate = Math.max(1, Math.round(rt.outputEstimate * 0.9 + done.outputTokens * 0.1));
    const usage = { inputTokens: done.inputTokens, outputTokens: done.outputTokens };
    const response: LlmResponse = {
      text: done.result.text,
      usage,
      latencyMs: done.latencyMs,
      costUsd: costUsd(rt.price, usage),
      cached: false,
    };
    stats.record(rt.id, scope, {
      kind: "success",
      latencyMs: done.latencyMs,
      ...usage,
      costUsd: response.costUsd,
    });
    return response;
  }

  function failed(
    modelId: string,
    scope: string | undefined,
    error: unknown,
    signal?: AbortSignal,
  ): LlmError {
    stats.record(modelId, scope, { kind: "failure" });
    const context = { modelId, signal, secrets };
    // Users get one message for every connection failure; the detail (refused, reset…) goes to the log.
    const detail = connectionFailureDetail(error instanceof GaveUp ? error.cause : error);
    if (detail) warn(`connect:${modelId}`, `${modelId}: ${redact(detail, secrets)}`);
    if (error instanceof GaveUp && error.cause instanceof StreamBrokenError) {
      const mapped = toLlmError(error.cause.failure, context);
      return new LlmError(`${mapped.message} (${error.cause.message})`, false, mapped.status);
    }
    if (error instanceof GaveUp) {
      const mapped = toLlmError(error.cause, context);
      if (error.attempts < 2) return mapped;
      return new LlmError(
        `${mapped.message} (gave up after ${error.attempts} attempts)`,
        mapped.retryable,
        mapped.status,
      );
    }
    return toLlmError(error, context);
  }

  async function generate(
    request: LlmRequest,
    scope: string | undefined,
    onText?: (delta: string) => void,
  ): Promise<LlmResponse> {
    stats.record(request.model, scope, { kind: "call" });
    try {
      const rt = models.get(request.model);
      const mode = cache && rt.parsed.provider !== "sim" ? (request.cache ?? "use") : "bypass";
      if (!cache || mode === "bypass") return await callProvider(rt, request, scope, onText);
      const key = cacheKey({
        namespace: options.cacheNamespace,
        provider: rt.parsed.provider,
        model: rt.parsed.modelName,
        endpoint: rt.endpoint,
        params: request.params,
        json: request.json,
        messages: request.messages,
      });
      const response = await cache.run(
        key,
        mode,
        () => callProvider(rt, request, scope, onText),
        request.signal,
      );
      if (response.cached) stats.record(rt.id, scope, { kind: "hit" });
      // Answered without this call's stream: the whole text at once.
      if (response.cached && response.text) onText?.(response.text);
      return response;
    } catch (error) {
      throw failed(request.model, scope, error, request.signal);
    }
  }

  async function embed(
    modelId: string,
    texts: string[],
    signal: AbortSignal | undefined,
    scope: string | undefined,
  ): Promise<EmbedResponse> {
    stats.record(modelId, scope, { kind: "call" });
    try {
      const rt = models.get(modelId);
      const model = models.embedding(rt);
      if (texts.length === 0) return { embeddings: [], usage: { inputTokens: 0 }, costUsd: 0 };
      const estimate = rt.config.rateLimit?.tokensPerMinute
        ? estimatePromptTokens(texts.map((content) => ({ role: "user", content })))
        : 0;
      const done = await withPolicy(rt, scope, signal, estimate, async (attemptSignal) => {
        const result = await embedOnce(model, texts, attemptSignal);
        return { result, inputTokens: result.inputTokens, outputTokens: 0 };
      });
      const usage = { inputTokens: done.inputTokens };
      const cost = costUsd(rt.price, usage);
      stats.record(rt.id, scope, {
        kind: "success",
        latencyMs: done.latencyMs,
        inputTokens: done.inputTokens,
        outputTokens: 0,
        costUsd: cost,
      });
      return { embeddings: done.result.embeddings, usage, costUsd: cost };
    } catch (error) {
      throw failed(modelId, scope, error, signal);
    }
  }

  const handle = (scope: string | undefined): Gateway => ({
    scope,
    generate: (request) => generate(request, scope),
    stream: (request, onText) => generate(request, scope, onText),
    embed: (model, texts, signal) => embed(model, texts, signal, scope),
    withScope: (next) => handle(next),
    stats: () => stats.snapshot(),
    forgetScope: (name) => stats.forgetScope(name),
    close: async () => {
      await cache?.drain();
      await redis?.quit();
    },
  });
  return handle(undefined);
}

/** The last failure of a call and how many attempts it took. */
class GaveUp extends Error {
  constructor(
    override readonly cause: unknown,
    readonly attempts: number,
  ) {
    super("gave up");
  }
}
