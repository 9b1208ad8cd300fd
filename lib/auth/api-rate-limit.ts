// API rate limits, charged by defineRoute once the caller is known: one token bucket per API key and
// one per signed-in user (limit-settings.ts has the numbers). In memory a charge is a map lookup and a
// little arithmetic, with no promise; with REDIS_URL it is one script call to Redis (pipelined with
// any other commands of the same tick), shared by every app instance.
import {
  MemoryTokenBucketStore,
  type RateLimitDecision,
  retryAfterSeconds,
  type TokenBucketStore,
} from "@/lib/core/rate-limit";
import type { Env } from "./client-address";
import { type ApiRateLimitSettings, apiRateLimitSettings } from "./limit-settings";
import { FallbackTokenBucketStore, limitsRedis, RedisTokenBucketStore, redisUrlOf } from "./limit-stores";
import type { Principal } from "./principal";

const ALLOWED: RateLimitDecision = { allowed: true, retryAfterSeconds: 0 };

export class ApiRateLimiter {
  constructor(
    private readonly store: TokenBucketStore | MemoryTokenBucketStore,
    readonly settings: ApiRateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Charges one request to the principal's bucket. Synchronous for the in-memory store. */
  charge(principal: Principal): RateLimitDecision | Promise<RateLimitDecision> {
    const [key, policy] =
      principal.kind === "api_key"
        ? [`api:key:${principal.keyId}`, this.settings.apiKey]
        : [`api:user:${principal.userId}`, this.settings.user];
    if (!policy) return ALLOWED;
    if (this.store instanceof MemoryTokenBucketStore)
      return decide(this.store.takeNow(key, policy, this.now()));
    return this.store.take(key, policy, this.now()).then(decide);
  }
}

const decide = (result: { allowed: boolean; retryAfterMs: number }): RateLimitDecision =>
  result.allowed ? ALLOWED : { allowed: false, retryAfterSeconds: retryAfterSeconds(result.retryAfterMs) };

export function createApiRateLimiter(env: Env = process.env, now: () => number = Date.now): ApiRateLimiter {
  const url = redisUrlOf(env);
  const store = url
    ? new FallbackTokenBucketStore(new RedisTokenBucketStore(limitsRedis(url)))
    : new MemoryTokenBucketStore();
  return new ApiRateLimiter(store, apiRateLimitSettings(env), now);
}

const LIMITER = Symbol.for("strop.api-rate-limiter");
type WithLimiter = typeof globalThis & { [LIMITER]?: ApiRateLimiter };

/** The process's API limiter, built from the environment on first use. */
export function apiRateLimiter(): ApiRateLimiter {
  const global = globalThis as WithLimiter;
  global[LIMITER] ??= createApiRateLimiter();
  return global[LIMITER];
}

/** Replaces (or with no argument, forgets, so the next call reads the environment again) the limiter. */
export function setApiRateLimiter(limiter?: ApiRateLimiter): void {
  (globalThis as WithLimiter)[LIMITER] = limiter;
}
