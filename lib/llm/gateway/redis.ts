// The one Redis connection a gateway uses for its shared rate limits and (optionally) its cache.
// Nothing is loaded or connected until the first command (a gateway built only to check a task file
// never connects). Commands fail fast while Redis is unreachable (the callers fall back to per-process
// limits and cache misses); ioredis reconnects in the background.
import { createHash } from "node:crypto";

export interface RedisClient {
  /** EVALSHA with a fallback to EVAL the first time (or after a SCRIPT FLUSH). */
  evalScript(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  /** SET with an expiry in milliseconds. */
  setWithTtl(key: string, value: string, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
  quit(): Promise<void>;
}

type IORedis = import("ioredis").Redis;

export function connectRedis(url: string, onError: (error: Error) => void = () => {}): RedisClient {
  let client: IORedis | undefined;
  let closed = false;
  let connecting: Promise<IORedis> | undefined;
  const connect = (): Promise<IORedis> =>
    import("ioredis").then(async ({ Redis }) => {
      const redis = new Redis(url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        // Commands issued in the same tick go out as one pipeline (many concurrent cache reads, limits).
        enableAutoPipelining: true,
        maxRetriesPerRequest: 1,
        connectTimeout: 3_000,
        retryStrategy: (times) => (closed ? null : Math.min(200 * times, 2_000)),
      });
      redis.on("error", onError);
      if (!closed) await redis.connect().catch((error: unknown) => onError(error as Error));
      client = redis;
      return redis;
    });
  const ready = (): Promise<IORedis> => {
    connecting ??= connect();
    return connecting;
  };
  const shas = new Map<string, string>();
  const sha1 = (script: string) => {
    let sha = shas.get(script);
    if (!sha) {
      sha = createHash("sha1").update(script).digest("hex");
      shas.set(script, sha);
    }
    return sha;
  };
  return {
    async evalScript(script, keys, args) {
      const redis = client ?? (await ready());
      try {
        return await redis.evalsha(sha1(script), keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes("NOSCRIPT")) throw error;
        return redis.eval(script, keys.length, ...keys, ...args);
      }
    },
    async get(key) {
      return (client ?? (await ready())).get(key);
    },
    async setWithTtl(key, value, ttlMs) {
      await (client ?? (await ready())).set(key, value, "PX", Math.max(1, Math.ceil(ttlMs)));
    },
    async del(key) {
      await (client ?? (await ready())).del(key);
    },
    async quit() {
      closed = true;
      if (!connecting) return;
      const redis = await connecting;
      if (redis.status === "ready") await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
