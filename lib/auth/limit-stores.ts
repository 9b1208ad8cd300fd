// Where the sign-in and API limits keep their state: in Redis when REDIS_URL is set (every app instance
// shares the limits), in this process's memory otherwise. Each Redis operation is one atomic script. If
// Redis cannot be reached, a call falls back to the process's memory (limits per instance, never none)
// and a warning is logged at most once a minute; ioredis reconnects in the background.
import {
  type FailureRecord,
  type FailureStore,
  MemoryFailureStore,
  MemoryTokenBucketStore,
  type TokenBucketPolicy,
  type TokenBucketStore,
} from "@/lib/core/rate-limit";
import { connectRedis, type RedisClient } from "@/lib/llm/gateway/redis";
import type { Env } from "./client-address";

// KEYS[1]: the bucket. ARGV: now (ms), capacity, refill per second, idle expiry (ms).
// The same rule as takeToken in lib/core/rate-limit.ts: no debt for a refused request.
const TAKE_TOKEN = `
local now = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
elseif now > at then
  tokens = math.min(capacity, tokens + (now - at) / 1000 * rate)
  at = now
end
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = (1 - tokens) / rate * 1000
end
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'a', string.format('%.3f', at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {allowed, string.format('%.3f', wait)}
`;

// KEYS[1]: the failure record. ARGV: now (ms), expiry (ms). Returns the new count.
const RECORD_FAILURE = `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return n
`;

const READ_FAILURES = `return redis.call('HMGET', KEYS[1], 'n', 'at')`;

export class RedisTokenBucketStore implements TokenBucketStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = "strop:limit:",
  ) {}

  async take(key: string, policy: TokenBucketPolicy, now: number) {
    const idleMs = Math.ceil((policy.capacity / policy.refillPerSecond) * 1000) + 60_000;
    const [allowed, wait] = (await this.redis.evalScript(
      TAKE_TOKEN,
      [this.prefix + key],
      [String(now), String(policy.capacity), String(policy.refillPerSecond), String(idleMs)],
    )) as [number, string];
    return { allowed: allowed === 1, retryAfterMs: Number(wait) };
  }
}

export class RedisFailureStore implements FailureStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = "strop:limit:",
  ) {}

  /** Redis expires records itself (PEXPIRE), so `now` is not needed here. */
  async read(key: string, _now: number): Promise<FailureRecord | null> {
    const [n, at] = (await this.redis.evalScript(READ_FAILURES, [this.prefix + key], [])) as [
      string | null,
      string | null,
    ];
    return n === null || at === null ? null : { failures: Number(n), lastFailureAt: Number(at) };
  }

  async recordFailure(key: string, now: number, ttlMs: number): Promise<FailureRecord> {
    const failures = await this.redis.evalScript(
      RECORD_FAILURE,
      [this.prefix + key],
      [String(now), String(Math.max(1, Math.ceil(ttlMs)))],
    );
    return { failures: Number(failures), lastFailureAt: now };
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

/** Warns about an unreachable store at most once a minute. */
function throttledWarning(what: string): (error: unknown) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    console.warn(
      `[strop limits] Redis unreachable for ${what} (${(error as Error)?.message ?? error}); using this process's memory`,
    );
  };
}

/** Redis first; this process's memory while Redis fails. */
export class FallbackTokenBucketStore implements TokenBucketStore {
  private readonly warn = throttledWarning("API rate limits");
  constructor(
    private readonly primary: TokenBucketStore,
    private readonly fallback = new MemoryTokenBucketStore(),
  ) {}

  async take(key: string, policy: TokenBucketPolicy, now: number) {
    try {
      return await this.primary.take(key, policy, now);
    } catch (error) {
      this.warn(error);
      return this.fallback.takeNow(key, policy, now);
    }
  }
}

export class FallbackFailureStore implements FailureStore {
  private readonly warn = throttledWarning("sign-in limits");
  constructor(
    private readonly primary: FailureStore,
    private readonly fallback: FailureStore = new MemoryFailureStore(),
  ) {}

  private async attempt<T>(run: (store: FailureStore) => Promise<T>): Promise<T> {
    try {
      return await run(this.primary);
    } catch (error) {
      this.warn(error);
      return run(this.fallback);
    }
  }

  read(key: string, now: number) {
    return this.attempt((store) => store.read(key, now));
  }
  recordFailure(key: string, now: number, ttlMs: number) {
    return this.attempt((store) => store.recordFailure(key, now, ttlMs));
  }
  clear(key: string) {
    return this.attempt((store) => store.clear(key));
  }
}

// One connection per process for the limits, kept on globalThis: route handlers, next-auth and
// instrumentation may be separate bundles of one process.
const CONNECTION = Symbol.for("strop.limits-redis");
type WithConnection = typeof globalThis & { [CONNECTION]?: { url: string; client: RedisClient } };

/** The limits' Redis connection for `url` (REDIS_URL), made on first use. */
export function limitsRedis(url: string): RedisClient {
  const global = globalThis as WithConnection;
  const current = global[CONNECTION];
  if (current?.url === url) return current.client;
  const client = connectRedis(url);
  global[CONNECTION] = { url, client };
  return client;
}

/** Closes the limits' Redis connection (tests, shutdown). */
export async function closeLimitsRedis(): Promise<void> {
  const global = globalThis as WithConnection;
  const current = global[CONNECTION];
  global[CONNECTION] = undefined;
  await current?.client.quit();
}

export function redisUrlOf(env: Env): string | undefined {
  return env.REDIS_URL?.trim() || undefined;
}
