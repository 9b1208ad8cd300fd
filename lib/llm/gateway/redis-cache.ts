// The cache in Redis (when REDIS_URL is set): shared by every process, expiry by Redis itself (PX).
import type { CacheStore } from "./cache";
import type { RedisClient } from "./redis";

export function createRedisCacheStore(redis: RedisClient, prefix = "strop:"): CacheStore {
  const key = (k: string) => `${prefix}llm-cache:${k}`;
  return {
    async get(k) {
      return (await redis.get(key(k))) ?? undefined;
    },
    set: (k, value, ttlMs) => redis.setWithTtl(key(k), value, ttlMs),
    delete: (k) => redis.del(key(k)),
  };
}
