import { describe, expect, it } from "vitest";
import {
  FixedWindowLimiter,
  type LockoutPolicy,
  lockoutMs,
  MemoryFailureStore,
  MemoryTokenBucketStore,
  remainingLockoutMs,
  type TokenBucketState,
  takeToken,
} from "./rate-limit";

describe("token bucket", () => {
  const policy = { capacity: 3, refillPerSecond: 2 };

  it("allows the burst back to back, then one token per 1/rate seconds, with the wait to the next", () => {
    let state: TokenBucketState | undefined;
    const results = [];
    for (let i = 0; i < 4; i++) {
      const r = takeToken(state, 1_000, policy);
      state = r.state;
      results.push(r.allowed);
    }
    expect(results).toEqual([true, true, true, false]);
    expect(takeToken(state, 1_000, policy).retryAfterMs).toBe(500);
    expect(takeToken(state, 1_499, policy).allowed).toBe(false);
    expect(takeToken(state, 1_500, policy).allowed).toBe(true);
  });

  it("charges nothing for a refused request, never exceeds the capacity, and ignores a clock going back", () => {
    let state = takeToken(undefined, 0, { capacity: 1, refillPerSecond: 1 }).state;
    for (let i = 0; i < 100; i++) state = takeToken(state, 10, { capacity: 1, refillPerSecond: 1 }).state;
    // 100 refusals did not push the next token further away than 1 s after the first take.
    expect(takeToken(state, 1_000, { capacity: 1, refillPerSecond: 1 }).allowed).toBe(true);
    expect(takeToken({ tokens: 0, at: 0 }, 1e9, policy).state.tokens).toBe(policy.capacity - 1);
    expect(takeToken({ tokens: 0.5, at: 5_000 }, 1_000, policy)).toMatchObject({ allowed: false });
  });

  it("the memory store keeps one bucket per key", () => {
    const store = new MemoryTokenBucketStore();
    const take = (key: string) => store.takeNow(key, { capacity: 2, refillPerSecond: 1 }, 0).allowed;
    expect([take("a"), take("a"), take("a"), take("b")]).toEqual([true, true, false, true]);
  });
});

describe("growing lockouts", () => {
  const policy: LockoutPolicy = {
    freeFailures: 3,
    baseLockoutMs: 30_000,
    maxLockoutMs: 300_000,
    forgetAfterMs: 3_600_000,
  };

  it("costs nothing for the free failures, then doubles per failure up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000].map((n) => lockoutMs(n, policy))).toEqual([
      0, 0, 0, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000,
    ]);
  });

  it("locks from the last failure for the lockout of its count; forgets after forgetAfterMs", () => {
    const record = { failures: 5, lastFailureAt: 10_000 };
    expect(remainingLockoutMs(record, 10_000, policy)).toBe(60_000);
    expect(remainingLockoutMs(record, 69_999, policy)).toBe(1);
    expect(remainingLockoutMs(record, 70_000, policy)).toBe(0);
    expect(remainingLockoutMs({ failures: 50, lastFailureAt: 0 }, 3_600_000, policy)).toBe(0);
    expect(remainingLockoutMs(null, 0, policy)).toBe(0);
  });

  it("the memory failure store counts, expires and clears", async () => {
    const store = new MemoryFailureStore();
    await store.recordFailure("k", 0, 1_000);
    expect(await store.recordFailure("k", 10, 1_000)).toEqual({ failures: 2, lastFailureAt: 10 });
    expect(await store.read("k", 1_009)).toEqual({ failures: 2, lastFailureAt: 10 });
    expect(await store.read("k", 1_010)).toBeNull();
    await store.recordFailure("k", 2_000, 1_000);
    await store.clear("k");
    expect(await store.read("k", 2_000)).toBeNull();
  });
});

describe("fixed window", () => {
  it("allows `limit` hits per window and key", () => {
    let now = 0;
    const limiter = new FixedWindowLimiter(2, 1_000, () => now);
    expect([limiter.hit("a"), limiter.hit("a"), limiter.hit("a")].map((d) => d.allowed)).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.hit("a").retryAfterSeconds).toBe(1);
    now = 1_000;
    expect(limiter.hit("a").allowed).toBe(true);
  });
});
