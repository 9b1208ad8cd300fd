import { describe, expect, it } from "vitest";
import {
  bucketIdleMs,
  FixedWindowLimiter,
  type LockoutPolicy,
  lockoutMs,
  MemoryFailureStore,
  MemoryTokenBucketStore,
  remainingLockoutMs,
  retryAfterSeconds,
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

/** The size of a store's private map: memory stays bounded however many keys come. */
const sizeOf = (store: object, field: string) => (store as Record<string, Map<string, unknown>>)[field]?.size;

describe("bounds and edges", () => {
  it("rounds waits up to whole seconds, never below one", () => {
    expect([0, 1, 1_000, 1_001, 2_500].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 3]);
  });

  it("fixed window: the wait runs to the end of the window; expired windows are swept past maxKeys", () => {
    let now = 0;
    const limiter = new FixedWindowLimiter(1, 5_000, () => now, 2);
    limiter.hit("a");
    now = 1_000;
    expect(limiter.hit("a")).toEqual({ allowed: false, retryAfterSeconds: 4 });
    limiter.hit("b");
    expect(sizeOf(limiter, "windows")).toBe(2);
    now = 5_500;
    limiter.hit("c");
    // "a" (from 0) expired and was swept; "b" (from 1,000) is still open.
    expect(sizeOf(limiter, "windows")).toBe(2);
    expect(limiter.hit("b").allowed).toBe(false);
    now = 4_999;
    expect(new FixedWindowLimiter(1, 5_000, () => now).hit("x").allowed).toBe(true);
  });

  it("token bucket: the wait for the next token, the idle time of a full bucket, and the memory store's sweep", async () => {
    const policy = { capacity: 3, refillPerSecond: 2 };
    expect(takeToken({ tokens: 0.5, at: 0 }, 0, policy).retryAfterMs).toBe(250);
    expect(bucketIdleMs(policy)).toBe(1_500);
    expect(bucketIdleMs({ capacity: 1, refillPerSecond: 3 })).toBe(334);
    const store = new MemoryTokenBucketStore(2);
    await store.take("a", policy, 0);
    await store.take("b", policy, 1_000);
    store.takeNow("b", policy, 1_000);
    expect(sizeOf(store, "buckets")).toBe(2);
    // At 1,500 "a" is full again (idle 1,500 ms) and goes; "b" (last at 1,000) stays.
    expect(store.takeNow("c", policy, 1_500).allowed).toBe(true);
    expect(sizeOf(store, "buckets")).toBe(2);
    expect(store.takeNow("b", policy, 1_500)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it("lockouts: remembered until forgetAfterMs has passed; the failure store sweeps expired keys past maxKeys", async () => {
    const policy: LockoutPolicy = {
      freeFailures: 0,
      baseLockoutMs: 10_000,
      maxLockoutMs: 10_000,
      forgetAfterMs: 5_000,
    };
    expect(remainingLockoutMs({ failures: 1, lastFailureAt: 0 }, 4_999, policy)).toBe(5_001);
    expect(remainingLockoutMs({ failures: 1, lastFailureAt: 0 }, 5_000, policy)).toBe(0);
    const store = new MemoryFailureStore(2);
    await store.recordFailure("a", 0, 100);
    await store.recordFailure("b", 50, 100);
    await store.recordFailure("b", 60, 100);
    expect(sizeOf(store, "records")).toBe(2);
    await store.recordFailure("c", 120, 100);
    // "a" expired at 100 and was swept; "b" lives until 160.
    expect(sizeOf(store, "records")).toBe(2);
    expect(await store.read("b", 150)).toEqual({ failures: 2, lastFailureAt: 60 });
  });
});
