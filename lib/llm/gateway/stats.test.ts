// Accounting per model and per scope, over real HTTP; percentiles on known samples.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlm } from "../gateway";
import { type FakeServer, startFakeOpenAIServer } from "../testing/fake-openai-server";
import { StatsCollector } from "./stats";

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({
    respond: (call) =>
      call.model === "broken"
        ? { status: 400, body: { error: { message: "no" } } }
        : { content: "ok", usage: { promptTokens: 100, completionTokens: 10 } },
  });
});
afterAll(() => server.close());

describe("gateway stats", () => {
  it("counts calls, hits, requests, failures, tokens and cost per model and per scope", async () => {
    const llm = createLlm({
      env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL },
      models: { "openai-compatible:a": { price: { input: 1, output: 10 } } },
      cache: { store: "memory" },
    });
    const run = llm.withScope("run-1");
    const batch = llm.withScope("batch-7");
    expect(run.scope).toBe("run-1");
    const ask = (gw: typeof llm, model: string, content: string) =>
      gw.generate({ model: `openai-compatible:${model}`, messages: [{ role: "user", content }] });
    await ask(run, "a", "one");
    await ask(run, "a", "two");
    await ask(batch, "a", "one"); // a cache hit in another scope
    await ask(batch, "broken", "x").catch(() => undefined);
    await ask(llm, "a", "three"); // unscoped
    const stats = llm.stats();
    expect(stats.total).toMatchObject({ calls: 5, cacheHits: 1, requests: 4, failures: 1, retries: 0 });
    expect(stats.models["openai-compatible:a"]).toMatchObject({
      calls: 4,
      cacheHits: 1,
      requests: 3,
      inputTokens: 300,
      outputTokens: 30,
    });
    expect(stats.models["openai-compatible:a"]?.costUsd).toBeCloseTo((300 * 1 + 30 * 10) / 1e6, 12);
    expect(stats.scopes["run-1"]).toMatchObject({ calls: 2, cacheHits: 0, requests: 2, inputTokens: 200 });
    expect(stats.scopes["batch-7"]).toMatchObject({ calls: 2, cacheHits: 1, failures: 1, inputTokens: 0 });
    expect(stats.scopes["run-1"]?.latencyMs.count).toBe(2);
    llm.forgetScope("run-1");
    expect(llm.stats().scopes["run-1"]).toBeUndefined();
  });

  it("reports latency percentiles", () => {
    const collector = new StatsCollector();
    for (let ms = 1; ms <= 100; ms++)
      collector.record("m", undefined, {
        kind: "success",
        latencyMs: ms,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
      });
    expect(collector.snapshot().models.m?.latencyMs).toEqual({
      count: 100,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
    });
  });

  const success = (latencyMs: number) =>
    ({ kind: "success", latencyMs, inputTokens: 0, outputTokens: 0, costUsd: 0 }) as const;

  it("sorts latencies by value, whatever their order and digits", () => {
    const collector = new StatsCollector();
    // 1..100 in a scrambled order (37 is coprime to 100): neither arrival nor string order is numeric.
    for (let i = 0; i < 100; i++) collector.record("m", undefined, success(((i * 37) % 100) + 1));
    expect(collector.snapshot().models.m?.latencyMs).toEqual({
      count: 100,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
    });
    const few = new StatsCollector();
    for (const ms of [300, 9, 40]) few.record("m", undefined, success(ms));
    expect(few.snapshot().models.m?.latencyMs).toEqual({ count: 3, p50: 40, p95: 300, p99: 300, max: 300 });
  });

  it("keeps a uniform sample beyond 8,192 latencies, so percentiles stay those of every call", () => {
    const collector = new StatsCollector();
    for (let ms = 1; ms <= 20_000; ms++) collector.record("m", undefined, success(ms));
    const latency = collector.snapshot().models.m?.latencyMs;
    expect(latency?.count).toBe(20_000);
    expect(latency?.max).toBe(20_000);
    // A reservoir of 8,192 out of 20,000: the median is within ~1% of 10,000 (the bound is 9 sigma).
    expect(latency?.p50).toBeGreaterThan(9_000);
    expect(latency?.p50).toBeLessThan(11_000);
    expect(latency?.p99).toBeGreaterThan(19_000);
  });

  it("counts a call without scope in the total and its model only", () => {
    const collector = new StatsCollector();
    collector.record("m", undefined, { kind: "call" });
    collector.record("m", "run-1", { kind: "call" });
    const snapshot = collector.snapshot();
    expect(Object.keys(snapshot.scopes)).toEqual(["run-1"]);
    expect(snapshot.total.calls).toBe(2);
    expect(snapshot.scopes["run-1"]?.calls).toBe(1);
  });
});
