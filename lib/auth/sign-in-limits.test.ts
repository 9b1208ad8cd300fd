// Sign-in lockouts (per account, per address, growing) and the shared Redis stores of the limits.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryFailureStore } from "@/lib/core/rate-limit";
import { connectRedis } from "@/lib/llm/gateway/redis";
import { ApiRateLimiter } from "./api-rate-limit";
import { apiRateLimitSettings, limitSettingProblems, signInLimitSettings } from "./limit-settings";
import {
  FallbackFailureStore,
  FallbackTokenBucketStore,
  RedisFailureStore,
  RedisTokenBucketStore,
} from "./limit-stores";
import type { UserPrincipal } from "./principal";
import { SignInLimiter } from "./sign-in-limits";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const settings = signInLimitSettings({}); // defaults: 5 per account, 20 per address, 30 s doubling to 15 min

function clock(start = 1_000_000) {
  const c = { now: start, advance: (ms: number) => (c.now += ms) };
  return c;
}

describe("sign-in limits", () => {
  it("locks an account after 5 failures, whichever addresses they came from", async () => {
    const c = clock();
    const limiter = new SignInLimiter(new MemoryFailureStore(), settings, () => c.now);
    for (let i = 0; i < 5; i++) {
      const attempt = { email: "victim@example.com", ip: `203.0.113.${i}` };
      expect(await limiter.lockedForMs(attempt)).toBe(0);
      await limiter.recordFailure(attempt);
    }
    expect(await limiter.lockedForMs({ email: "victim@example.com", ip: "198.51.100.99" })).toBe(0);
    await limiter.recordFailure({ email: "victim@example.com", ip: "198.51.100.99" });
    expect(await limiter.lockedForMs({ email: "victim@example.com", ip: "192.0.2.1" })).toBe(30_000);
    expect(await limiter.lockedForMs({ email: "someone-else@example.com", ip: "192.0.2.1" })).toBe(0);
  });

  it("locks an address after 20 failures, whichever accounts they tried", async () => {
    const c = clock();
    const limiter = new SignInLimiter(new MemoryFailureStore(), settings, () => c.now);
    for (let i = 0; i < 21; i++)
      await limiter.recordFailure({ email: `user${i}@example.com`, ip: "203.0.113.9" });
    expect(await limiter.lockedForMs({ email: "fresh@example.com", ip: "203.0.113.9" })).toBe(30_000);
    expect(await limiter.lockedForMs({ email: "fresh@example.com", ip: "203.0.113.10" })).toBe(0);
    // An unknown address limits the account only.
    expect(await limiter.lockedForMs({ email: "fresh@example.com", ip: null })).toBe(0);
  });

  it("grows the delay with each failure after a lockout, up to the cap; a success resets the account", async () => {
    const c = clock();
    const limiter = new SignInLimiter(new MemoryFailureStore(), settings, () => c.now);
    const attempt = { email: "slow@example.com", ip: null };
    for (let i = 0; i < 5; i++) await limiter.recordFailure(attempt);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      await limiter.recordFailure(attempt);
      const locked = await limiter.lockedForMs(attempt);
      delays.push(locked);
      c.advance(locked); // wait it out, then fail again
    }
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    await limiter.recordSuccess(attempt);
    expect(await limiter.lockedForMs(attempt)).toBe(0);
    await limiter.recordFailure(attempt);
    expect(await limiter.lockedForMs(attempt)).toBe(0);
  });

  it("reads its settings from the environment and names a bad one", () => {
    const custom = signInLimitSettings({
      STROP_SIGN_IN_FREE_FAILURES_PER_ACCOUNT: "3",
      STROP_SIGN_IN_MAX_LOCKOUT_SECONDS: "60",
    });
    expect(custom.account).toMatchObject({ freeFailures: 3, maxLockoutMs: 60_000 });
    expect(custom.address.freeFailures).toBe(20);
    const env = { STROP_SIGN_IN_FREE_FAILURES_PER_IP: "lots", STROP_API_RATE_LIMIT_KEY_BURST: "0" };
    expect(limitSettingProblems(env)).toEqual([
      expect.stringMatching(/^STROP_API_RATE_LIMIT_KEY_BURST must be a whole number >= 1/),
      expect.stringMatching(/^STROP_SIGN_IN_FREE_FAILURES_PER_IP must be a whole number >= 1/),
    ]);
    expect(signInLimitSettings(env).address.freeFailures).toBe(20);
    expect(apiRateLimitSettings({ STROP_API_RATE_LIMIT_USER_PER_MINUTE: "0" }).user).toBeNull();
  });
});

describe("limits shared through Redis", () => {
  const connections = [connectRedis(REDIS_URL), connectRedis(REDIS_URL)];
  afterAll(async () => {
    for (const connection of connections) await connection.quit();
  });

  it("two sign-in limiters (two app instances) count failures together", async () => {
    const prefix = `strop-test:${randomUUID()}:`;
    const c = clock();
    const [one, two] = connections.map(
      (redis) => new SignInLimiter(new RedisFailureStore(redis, prefix), settings, () => c.now),
    );
    const attempt = { email: "shared@example.com", ip: "203.0.113.20" };
    for (let i = 0; i < 6; i++) await (i % 2 ? one! : two!).recordFailure(attempt);
    expect(await one!.lockedForMs(attempt)).toBe(30_000);
    expect(await two!.lockedForMs({ ...attempt, ip: "192.0.2.55" })).toBe(30_000);
    await two!.recordSuccess(attempt);
    expect(await one!.lockedForMs({ ...attempt, ip: null })).toBe(0);
  });

  it("two API limiters share one bucket per key", async () => {
    const prefix = `strop-test:${randomUUID()}:`;
    const c = clock();
    const policy = { apiKey: { capacity: 4, refillPerSecond: 1 }, user: null };
    const [one, two] = connections.map(
      (redis) => new ApiRateLimiter(new RedisTokenBucketStore(redis, prefix), policy, () => c.now),
    );
    const key = {
      kind: "api_key",
      keyId: "k1",
      prefix: "p",
      name: "n",
      projectId: "p1",
      role: "viewer",
    } as const;
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await (i % 2 ? one! : two!).charge(key));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
    expect(decisions[4]!.retryAfterSeconds).toBe(1);
    c.advance(1_000);
    expect((await one!.charge(key)).allowed).toBe(true);
    const user: UserPrincipal = { kind: "user", userId: "u1", email: "u@example.com", name: "" };
    expect((await two!.charge(user)).allowed).toBe(true); // no user limit configured
  });

  it("falls back to the process's memory while Redis is unreachable", async () => {
    const down = connectRedis("redis://127.0.0.1:1");
    try {
      const c = clock();
      const failures = new FallbackFailureStore(new RedisFailureStore(down));
      const limiter = new SignInLimiter(failures, settings, () => c.now);
      const attempt = { email: "offline@example.com", ip: null };
      for (let i = 0; i < 6; i++) await limiter.recordFailure(attempt);
      expect(await limiter.lockedForMs(attempt)).toBe(30_000);
      const buckets = new FallbackTokenBucketStore(new RedisTokenBucketStore(down));
      const policy = { capacity: 1, refillPerSecond: 1 };
      expect((await buckets.take("k", policy, 0)).allowed).toBe(true);
      expect((await buckets.take("k", policy, 0)).allowed).toBe(false);
    } finally {
      await down.quit();
    }
  });
});
