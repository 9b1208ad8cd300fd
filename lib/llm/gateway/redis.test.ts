// The Redis connection, cache store and rate limiter against the local Redis (REDIS_URL), and against a
// port where nothing listens.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { bucket } from "./rate-limit";
import { connectRedis } from "./redis";
import { createRedisCacheStore } from "./redis-cache";
import { RedisRateLimiter } from "./redis-rate-limit";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const probe = new Redis(REDIS_URL);
afterAll(async () => {
  await probe.quit();
});
const unique = () => `strop-test:${randomUUID()}`;

describe("connectRedis", () => {
  it("a client that never ran a command quits without connecting", async () => {
    await expect(connectRedis(REDIS_URL).quit()).resolves.toBeUndefined();
  });

  it("sets with an expiry in milliseconds (at least 1), reads and deletes, whatever command comes first", async () => {
    const key = unique();
    const writer = connectRedis(REDIS_URL);
    const deleter = connectRedis(REDIS_URL);
    try {
      await writer.setWithTtl(key, "v", 60_000.4);
      expect(await probe.get(key)).toBe("v");
      const ttl = await probe.pttl(key);
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(60_001);
      expect(await writer.get(key)).toBe("v");
      await deleter.del(key); // the first command of this client
      expect(await probe.exists(key)).toBe(0);
      await writer.setWithTtl(key, "short", 0);
      expect(await probe.pttl(key)).toBeLessThanOrEqual(1);
    } finally {
      await writer.quit();
      await deleter.quit();
    }
  });

  it("runs a script by its hash after the first time, and does not run it again when it fails", async () => {
    const key = unique();
    const client = connectRedis(REDIS_URL);
    // A script new to the server: the first call finds no cached script and sends it whole.
    const script = `-- ${key}\nreturn redis.call('INCR', KEYS[1]) + tonumber(ARGV[1])`;
    const failing = `-- ${key} fails\nredis.call('INCR', KEYS[1])\nreturn redis.error_reply('boom')`;
    try {
      expect(await client.evalScript(script, [key], ["10"])).toBe(11);
      expect(await client.evalScript(script, [key], ["10"])).toBe(12);
      await expect(client.evalScript(failing, [key], [])).rejects.toThrow("boom");
      await expect(client.evalScript(failing, [key], [])).rejects.toThrow("boom");
      expect(await probe.get(key)).toBe("4"); // each failing call ran once
    } finally {
      await probe.del(key);
      await client.quit();
    }
  });

  it("sends a script whole only when the server does not know its hash", async () => {
    const key = unique();
    const client = connectRedis(REDIS_URL);
    const script = `-- ${key}\nreturn redis.call('INCR', KEYS[1])`;
    const monitor = await probe.monitor();
    const seen: string[] = [];
    monitor.on("monitor", (_time: string, args: string[]) => {
      // The script's own INCR shows up too: only how the script itself was sent counts.
      const command = String(args[0]).toLowerCase();
      if (args.includes(key) && command.startsWith("eval")) seen.push(command);
    });
    try {
      for (let i = 0; i < 3; i++) await client.evalScript(script, [key], []);
      // MONITOR lines may trail the replies a little.
      await vi.waitFor(() => expect(seen).toHaveLength(4));
      expect(seen).toEqual(["evalsha", "eval", "evalsha", "evalsha"]);
    } finally {
      monitor.disconnect();
      await probe.del(key);
      await client.quit();
    }
  });

  it("fails commands fast while Redis is unreachable, and reports the connection error", async () => {
    const errors: Error[] = [];
    const client = connectRedis("redis://127.0.0.1:1", (error) => errors.push(error));
    const started = performance.now();
    await expect(client.get("k")).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(errors.some((error) => /ECONNREFUSED/.test(String(error)))).toBe(true);
    await expect(client.quit()).resolves.toBeUndefined();
  });
});

describe("Redis cache store and rate limiter", () => {
  it("the cache keeps entries under <prefix>llm-cache:, strop: by default, and deletes them", async () => {
    const client = connectRedis(REDIS_URL);
    const id = randomUUID();
    try {
      const store = createRedisCacheStore(client);
      await store.set(id, "answer", 60_000, 0);
      expect(await probe.get(`strop:llm-cache:${id}`)).toBe("answer");
      expect(await store.get(id, 0)).toBe("answer");
      await store.delete(id);
      expect(await store.get(id, 0)).toBeUndefined();
      const prefixed = createRedisCacheStore(client, "other:");
      await prefixed.set(id, "x", 60_000, 0);
      expect(await probe.get(`other:llm-cache:${id}`)).toBe("x");
      await prefixed.delete(id);
    } finally {
      await client.quit();
    }
  });

  it("the limiter keeps a bucket under <prefix>rl:<key>, strop: by default", async () => {
    const client = connectRedis(REDIS_URL);
    const id = randomUUID();
    try {
      const limiter = new RedisRateLimiter(client);
      expect(await limiter.reserve([bucket(id, 600, 1)])).toBe(0);
      expect(await probe.hget(`strop:rl:${id}`, "tokens")).toBe("9.000000");
      expect(await limiter.reserve([])).toBe(0);
      await probe.del(`strop:rl:${id}`);
    } finally {
      await client.quit();
    }
  });
});
