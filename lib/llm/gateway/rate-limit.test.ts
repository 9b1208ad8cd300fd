// Rate limits: the bucket arithmetic with a fake clock, then the rate counted at the server over real
// HTTP — one process, and two processes sharing one limit through Redis.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlm } from "../gateway";
import { type FakeServer, startFakeOpenAIServer } from "../testing/fake-openai-server";
import { runGatewayClients } from "../testing/gateway-client";
import { bucket, estimatePromptTokens, LocalRateLimiter } from "./rate-limit";
import { connectRedis } from "./redis";
import { RedisRateLimiter } from "./redis-rate-limit";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({
    latencyMs: 5,
    respond: (call) => ({
      content: "ok",
      usage: { promptTokens: call.model === "tokens" ? 10 : 3, completionTokens: 2 },
    }),
  });
});
afterAll(() => server.close());

/** Arrival times (ms) of model calls for `model` after `since`, sorted. */
function arrivals(model: string, since: number): number[] {
  return server
    .stats()
    .arrivals.filter(([t, , m]) => t >= since && m === model)
    .map(([t]) => t)
    .sort((a, b) => a - b);
}

/**
 * Checks the arrivals against the provider's side of the limit: a token bucket of `capacity` refilled at
 * `perSecond` (as the fake server and real providers keep it) would have refused at most `slack` of
 * them (10%), and beyond the initial burst the calls came at the limit: at most 15% above it (two
 * processes that did not share the limit would reach twice the rate), and not far below it (the bound
 * is loose, 25%, because a starved test machine slows the callers themselves). Requests reach
 * the server with varying delay (the first burst opens its connections while later calls are already
 * due; a busy machine adds more), so calls sent one interval apart can arrive closer together: the
 * server-side bucket gets 150 ms worth of extra room.
 */
function expectRate(
  times: number[],
  perSecond: number,
  capacity: number,
  slack = Math.ceil(times.length / 10),
) {
  const room = capacity + Math.ceil(perSecond * 0.15);
  let tokens = room;
  let last = times[0] as number;
  let refused = 0;
  for (const t of times) {
    tokens = Math.min(room, tokens + ((t - last) * perSecond) / 1000);
    last = t;
    if (tokens >= 1 - 1e-9) tokens -= 1;
    else refused++;
  }
  expect(refused).toBeLessThanOrEqual(slack);
  // Beyond the first second's burst, the calls take (n - capacity) / rate seconds.
  const sustained = ((times.length - capacity) * 1000) / ((times.at(-1) as number) - (times[0] as number));
  expect(sustained).toBeGreaterThan(perSecond * 0.75);
  expect(sustained).toBeLessThan(perSecond * 1.15);
}

describe("the token bucket", () => {
  it("reserves in order: a burst of one second's worth, then one call per 1/rate", async () => {
    let now = 0;
    const limiter = new LocalRateLimiter(() => now);
    const rpm = bucket("k", 600, 1); // 10 per second, capacity 10
    const waits: number[] = [];
    for (let i = 0; i < 13; i++) waits.push(await limiter.reserve([rpm]));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits.slice(10).map(Math.round)).toEqual([100, 200, 300]);
    now = 1300; // 13 refilled: the balance is back to 10 (the cap)
    expect(await limiter.reserve([rpm])).toBe(0);
    await limiter.adjust([{ ...rpm, cost: -1 }]); // a refund
    expect(limiter.balance(rpm)).toBeCloseTo(10, 6);
  });

  it("estimates prompt tokens from the text: a token per 4 characters, 4 per message", () => {
    expect(estimatePromptTokens([{ role: "user", content: "x".repeat(400) }])).toBe(104);
    expect(
      estimatePromptTokens([
        { role: "system", content: "x".repeat(9) },
        { role: "user", content: "y".repeat(8) },
      ]),
    ).toBe(5 + 8); // ceil(17 / 4) + 4 · 2
  });

  it("a bucket starts full and refills at its rate up to its capacity", () => {
    let now = 0;
    const limiter = new LocalRateLimiter(() => now);
    const rpm = bucket("refill", 600, 1); // 0.01 per ms, capacity 10
    expect(limiter.balance(rpm)).toBe(10);
    now = 1000;
    expect(limiter.balance(rpm)).toBe(10); // untouched: still full, not refilled beyond it
    limiter.adjust([{ ...rpm, cost: 4 }]);
    expect(limiter.balance(rpm)).toBe(6);
    now = 1050;
    expect(limiter.balance(rpm)).toBeCloseTo(6.5, 9);
    now = 100_000;
    expect(limiter.balance(rpm)).toBe(10);
  });

  it("sizes a bucket to one second's worth, at least one call", () => {
    expect(bucket("a", 600, 1)).toEqual({ key: "a", perMs: 0.01, capacity: 10, cost: 1 });
    expect(bucket("b", 30, 1).capacity).toBe(1);
  });
});

describe("limits over HTTP", () => {
  it("holds requests per minute in one process", async () => {
    const llm = createLlm({
      env: {},
      models: {
        "openai-compatible:rpm": { baseURL: server.baseURL, rateLimit: { requestsPerMinute: 1200 } },
        "openai-compatible:warm": { baseURL: server.baseURL },
      },
    });
    // Warm up first (the first call of a process loads and compiles the provider code, ~0.2 s on a busy
    // machine, and would delay the burst into the calls reserved after it).
    await llm.generate({ model: "openai-compatible:warm", messages: [{ role: "user", content: "warm" }] });
    const since = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        llm.generate({ model: "openai-compatible:rpm", messages: [{ role: "user", content: `call ${i}` }] }),
      ),
    );
    expect(results).toHaveLength(50);
    const times = arrivals("rpm", since);
    expect(times).toHaveLength(50);
    expectRate(times, 20, 20);
    expect(llm.stats().models["openai-compatible:rpm"]?.rateLimitWaitMs).toBeGreaterThan(0);
  });

  it("charges estimated tokens before a call and corrects them with the real usage", async () => {
    const waits: number[] = [];
    const llm = createLlm({
      env: {},
      models: {
        "openai-compatible:tokens": { baseURL: server.baseURL, rateLimit: { tokensPerMinute: 60_000 } },
      },
      retry: {
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    });
    // ~1,004 prompt tokens + 100 output cap = ~1,104 estimated against a 1,000-token bucket (1,000/s).
    const ask = () =>
      llm.generate({
        model: "openai-compatible:tokens",
        messages: [{ role: "user", content: "x".repeat(4000) }],
        params: { maxOutputTokens: 100 },
      });
    await ask();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(90);
    expect(waits[0]).toBeLessThan(120);
    // The server counted 12 tokens: the correction refunds ~1,092, so the next call waits ~0.1 s again,
    // not the ~1.2 s an uncorrected estimate would cost.
    await ask();
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeLessThan(200);
  });

  it("shares one limit between two processes through Redis", async () => {
    let since = 0;
    const job = {
      baseURL: server.baseURL,
      redisUrl: REDIS_URL,
      keyPrefix: `strop-test:${randomUUID()}:`,
      calls: 25,
      requestsPerMinute: 1200,
      concurrency: 25,
      model: "shared",
    };
    const results = await runGatewayClients(
      [
        { ...job, worker: "one" },
        { ...job, worker: "two" },
      ],
      () => {
        since = Date.now();
      },
    );
    expect(results.map((r) => r.ok)).toEqual([25, 25]);
    const times = arrivals("shared", since);
    expect(times).toHaveLength(50);
    // Alone, each process would take ~0.25 s; sharing 20/s, the two together take ~1.5 s.
    expectRate(times, 20, 20);
  }, 30_000);

  it("the Redis buckets are one quota for every connection", async () => {
    const prefix = `strop-test:${randomUUID()}:`;
    const a = connectRedis(REDIS_URL);
    const b = connectRedis(REDIS_URL);
    try {
      const one = new RedisRateLimiter(a, prefix);
      const two = new RedisRateLimiter(b, prefix);
      const slow = bucket("k", 6, 1); // one call per 10 s, a burst of one
      expect(await one.reserve([slow])).toBe(0);
      const second = await two.reserve([slow]);
      const third = await one.reserve([slow]);
      expect(second).toBeGreaterThan(9_000);
      expect(second).toBeLessThanOrEqual(10_000);
      expect(third - second).toBeGreaterThan(9_000);
      await two.adjust([{ ...slow, cost: -2 }]); // refunds (an aborted wait) give the slots back
      expect(await one.reserve([slow])).toBeLessThanOrEqual(10_000);
    } finally {
      await a.quit();
      await b.quit();
    }
  });

  it("falls back to per-process limits when Redis is unreachable", async () => {
    const warnings: string[] = [];
    const llm = createLlm({
      env: {},
      redis: { url: "redis://127.0.0.1:1" },
      models: {
        "openai-compatible:noredis": { baseURL: server.baseURL, rateLimit: { requestsPerMinute: 6000 } },
      },
      onWarning: (message) => warnings.push(message),
    });
    try {
      const response = await llm.generate({
        model: "openai-compatible:noredis",
        messages: [{ role: "user", content: "x" }],
      });
      expect(response.text).toBe("ok");
      expect(warnings.some((w) => /rate limiter failing|Redis unreachable/.test(w))).toBe(true);
    } finally {
      await llm.close();
    }
  });
});
