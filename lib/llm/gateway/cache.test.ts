// The response cache over real HTTP: repeats, coalescing, failures, TTL, bypass/refresh, and the three
// stores (memory, the database on SQLite and PostgreSQL, Redis).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmRequest } from "../../core/ports";
import { llmCacheRepository } from "../../db/llm-cache";
import { TEST_PROVIDERS } from "../../db/test-databases";
import { useTestDatabase } from "../../db/testing/use-test-database";
import { type CreateLlmOptions, createLlm } from "../gateway";
import { type FakeReply, type FakeServer, startFakeOpenAIServer } from "../testing/fake-openai-server";
import { cacheKey, MemoryCacheStore } from "./cache";
import { createDbCacheStore } from "./db-cache";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let server: FakeServer;
const script: Record<string, FakeReply[]> = {};
let answers = 0;

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    latencyMs: (call) => (call.model === "slow" ? 80 : 0),
    respond(call) {
      const replies = script[call.model];
      if (replies) return replies.length > 1 ? replies.shift() : replies[0];
      return { content: `answer ${++answers}`, usage: { promptTokens: 10, completionTokens: 2 } };
    },
  });
});
afterAll(() => server.close());

const requestsFor = (model: string) =>
  server.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === model).length;

function request(
  model: string,
  content = "Classify: great movie",
  extra: Partial<LlmRequest> = {},
): LlmRequest {
  return {
    model: `openai-compatible:${model}`,
    messages: [
      { role: "system", content: "Answer positive or negative." },
      { role: "user", content },
    ],
    params: { temperature: 0 },
    ...extra,
  };
}

function gateway(cache: CreateLlmOptions["cache"], now?: () => number) {
  return createLlm({
    env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL },
    models: { "openai-compatible:priced": { price: { input: 1, output: 1 } } },
    cache,
    retry: { sleep: async () => {}, ...(now && { now }) },
  });
}

describe("the response cache", () => {
  it("serves a repeat without a request, at zero cost", async () => {
    const llm = gateway({ store: "memory" });
    const first = await llm.generate(request("priced"));
    const second = await llm.generate(request("priced"));
    expect(requestsFor("priced")).toBe(1);
    expect(first.cached).toBe(false);
    expect(first.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({ text: first.text, cached: true, costUsd: 0 });
    expect(second.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    const stats = llm.stats().models["openai-compatible:priced"];
    expect(stats).toMatchObject({ calls: 2, cacheHits: 1, requests: 1, inputTokens: 10, outputTokens: 2 });
  });

  it("keys on model, parameters, messages and the JSON flag", async () => {
    const llm = gateway({ store: "memory" });
    await llm.generate(request("keys"));
    await llm.generate(request("keys", "Classify: awful movie"));
    await llm.generate(request("keys", undefined, { params: { temperature: 0.7 } }));
    await llm.generate(request("keys", undefined, { json: true }));
    await llm.generate(request("keys2"));
    expect(requestsFor("keys") + requestsFor("keys2")).toBe(5);
    const base = { provider: "openai", model: "m", messages: [{ role: "user" as const, content: "x" }] };
    expect(cacheKey(base)).toBe(cacheKey({ ...base }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, endpoint: "http://other/v1" }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, params: { seed: 1 } }));
  });

  it("coalesces concurrent identical requests into one call", async () => {
    const llm = gateway({ store: "memory" });
    const responses = await Promise.all(Array.from({ length: 12 }, () => llm.generate(request("slow"))));
    expect(requestsFor("slow")).toBe(1);
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => !r.cached)).toHaveLength(1);
    expect(llm.stats().total.cacheHits).toBe(11);
  });

  it("a namespace scopes every entry and every coalesced call: a hit never crosses namespaces", async () => {
    const store = new MemoryCacheStore(); // one store, as one database serves every project
    const inNamespace = (cacheNamespace?: string) =>
      createLlm({ env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL }, cache: { store }, cacheNamespace });
    const projectA = inNamespace("project-a");
    const projectB = inNamespace("project-b");
    const first = await projectA.generate(request("scoped"));
    expect(first.cached).toBe(false);
    const other = await projectB.generate(request("scoped"));
    expect(other.cached).toBe(false);
    expect(other.text).not.toBe(first.text);
    expect((await inNamespace().generate(request("scoped"))).cached).toBe(false);
    expect(requestsFor("scoped")).toBe(3);
    // Within a namespace, a new gateway (process) gets the hit, and concurrent calls are coalesced.
    expect(await inNamespace("project-a").generate(request("scoped"))).toMatchObject({
      text: first.text,
      cached: true,
    });
    const again = inNamespace("project-b");
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => again.generate(request("slow", "scoped"))),
    );
    expect(burst.filter((r) => !r.cached)).toHaveLength(1);
    expect(requestsFor("scoped")).toBe(3);
    const parts = { provider: "openai", model: "m", messages: [{ role: "user" as const, content: "x" }] };
    expect(cacheKey({ ...parts, namespace: "a" })).not.toBe(cacheKey({ ...parts, namespace: "b" }));
    expect(cacheKey({ ...parts, namespace: "a" })).not.toBe(cacheKey(parts));
  });

  it("does not cache failures", async () => {
    script.fails = [{ status: 400, body: { error: { message: "bad request" } } }, { content: "fine now" }];
    const llm = gateway({ store: "memory" });
    await expect(llm.generate(request("fails"))).rejects.toThrow(/bad request/);
    const response = await llm.generate(request("fails"));
    expect(response).toMatchObject({ text: "fine now", cached: false });
    expect(requestsFor("fails")).toBe(2);
  });

  it("expires entries after the TTL", async () => {
    let now = Date.parse("2026-11-26T12:00:00Z");
    const llm = gateway({ store: "memory", ttlSeconds: 60 }, () => now);
    await llm.generate(request("ttl"));
    now += 59_000;
    expect((await llm.generate(request("ttl"))).cached).toBe(true);
    now += 2_000;
    expect((await llm.generate(request("ttl"))).cached).toBe(false);
    expect(requestsFor("ttl")).toBe(2);
  });

  it('"bypass" neither reads nor writes; "refresh" calls and overwrites', async () => {
    const llm = gateway({ store: "memory" });
    const first = await llm.generate(request("modes"));
    const bypassed = await llm.generate(request("modes", undefined, { cache: "bypass" }));
    expect(bypassed.cached).toBe(false);
    expect(bypassed.text).not.toBe(first.text);
    expect((await llm.generate(request("modes"))).text).toBe(first.text);
    const refreshed = await llm.generate(request("modes", undefined, { cache: "refresh" }));
    expect(refreshed.cached).toBe(false);
    const after = await llm.generate(request("modes"));
    expect(after).toMatchObject({ text: refreshed.text, cached: true });
    expect(requestsFor("modes")).toBe(3);
  });

  it("never caches the local simulator", async () => {
    const llm = createLlm({ env: {}, cache: { store: "memory" } });
    const sim = { model: "sim:default", messages: [{ role: "user" as const, content: "hello" }] };
    await llm.generate(sim);
    expect((await llm.generate(sim)).cached).toBe(false);
  });

  it("a failing store degrades to the process's memory, with one warning: a repeat is not paid twice", async () => {
    const warnings: string[] = [];
    const broken = {
      get: async () => {
        throw new Error("disk on fire");
      },
      set: async () => {
        throw new Error("disk on fire");
      },
      delete: async () => {},
    };
    const llm = createLlm({
      env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL },
      cache: { store: broken },
      onWarning: (message) => warnings.push(message),
    });
    await llm.generate(request("broken"));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the failed write has settled
    const again = await llm.generate(request("broken"));
    expect(requestsFor("broken")).toBe(1);
    expect(again.cached).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("disk on fire");
  });

  it("the memory store evicts the least recently used entry", async () => {
    const store = new MemoryCacheStore(2);
    await store.set("a", "1", 1000, 0);
    await store.set("b", "2", 1000, 0);
    await store.get("a", 0);
    await store.set("c", "3", 1000, 0);
    expect(await store.get("b", 0)).toBeUndefined();
    expect(await store.get("a", 0)).toBe("1");
  });
});

describe.each(TEST_PROVIDERS)("the database cache (%s)", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  it("serves a new gateway (a new process) from the database, batches lookups, honours the TTL", async () => {
    let now = Date.parse("2026-11-26T12:00:00Z");
    const model = `db-${provider}`;
    const store = () => ({ store: createDbCacheStore(llmCacheRepository(fixture.db)), ttlSeconds: 3600 });
    const first = gateway(store(), () => now);
    const texts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => first.generate(request(model, `row ${i}`))),
    );
    expect(requestsFor(model)).toBe(20);
    // Writes are behind the answers; close() waits until they landed.
    await first.close();
    expect(await fixture.db.llmCacheEntry.count()).toBe(20);
    const second = gateway(store(), () => now);
    const again = await Promise.all(
      Array.from({ length: 20 }, (_, i) => second.generate(request(model, `row ${i}`))),
    );
    expect(requestsFor(model)).toBe(20);
    expect(again.every((r) => r.cached)).toBe(true);
    expect(again.map((r) => r.text)).toEqual(texts.map((r) => r.text));
    now += 3601_000;
    const third = gateway(store(), () => now);
    const expired = await third.generate(request(model, "row 0"));
    expect(expired.cached).toBe(false);
    expect(requestsFor(model)).toBe(21);
    await third.close();
    // A store sweeps expired rows with its first write (then hourly): only the rewritten row is left.
    expect(await fixture.db.llmCacheEntry.count()).toBe(1);
    expect(await llmCacheRepository(fixture.db).sweep(new Date(now + 3601_000))).toBe(1);
    // The repository itself: a key written twice in one batch keeps the last value; rewrites replace.
    const repo = llmCacheRepository(fixture.db);
    const later = new Date(now + 60_000);
    await repo.putMany([
      { key: "k", value: "first", expiresAt: later },
      { key: "k", value: "second", expiresAt: later },
    ]);
    await repo.putMany([{ key: "j", value: "j", expiresAt: later }]);
    expect(await repo.getMany(["k", "j", "missing"], new Date(now))).toEqual(
      new Map([
        ["k", "second"],
        ["j", "j"],
      ]),
    );
    await repo.putMany([{ key: "k", value: "third", expiresAt: new Date(now - 1) }]);
    expect((await repo.getMany(["k"], new Date(now))).size).toBe(0);
  });
});

describe("the Redis cache", () => {
  it("is shared by gateways (processes) and expires by Redis's clock", async () => {
    const keyPrefix = `strop-test:${randomUUID()}:`;
    const redis = { url: REDIS_URL, keyPrefix };
    const options = {
      env: { OPENAI_COMPATIBLE_BASE_URL: server.baseURL },
      redis,
      cache: { store: "redis" as const, ttlSeconds: 1 },
    };
    const a = createLlm(options);
    const b = createLlm(options);
    const { Redis } = await import("ioredis");
    const probe = new Redis(REDIS_URL);
    try {
      const first = await a.generate(request("redis"));
      const key = `${keyPrefix}llm-cache:${cacheKey({
        provider: "openai-compatible",
        model: "redis",
        endpoint: server.baseURL,
        params: { temperature: 0 },
        messages: request("redis").messages,
      })}`;
      await expect.poll(() => probe.exists(key), { timeout: 2_000 }).toBe(1);
      const second = await b.generate(request("redis"));
      expect(second).toMatchObject({ text: first.text, cached: true });
      expect(requestsFor("redis")).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await b.generate(request("redis"))).cached).toBe(false);
      expect(requestsFor("redis")).toBe(2);
    } finally {
      probe.disconnect();
      await a.close();
      await b.close();
    }
  });
});
