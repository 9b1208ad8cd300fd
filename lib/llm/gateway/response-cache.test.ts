// ResponseCache and MemoryCacheStore on their own: modes, coalescing, aborts and store failures (the
// cache in front of real calls: cache.test.ts).
import { describe, expect, it } from "vitest";
import type { LlmResponse } from "../../core/ports";
import { type CacheStore, cacheKey, MemoryCacheStore, ResponseCache } from "./cache";

const answer = (text: string): LlmResponse => ({
  text,
  usage: { inputTokens: 7, outputTokens: 3 },
  latencyMs: 5,
  costUsd: 0.01,
  cached: false,
});

/** A store over a Map that records its reads and writes; `failing` makes the named method throw. */
function recordingStore(failing: { get?: Error; set?: Error } = {}) {
  const entries = new Map<string, string>();
  const log: string[] = [];
  const store: CacheStore = {
    async get(key) {
      log.push(`get ${key}`);
      if (failing.get) throw failing.get;
      return entries.get(key);
    },
    async set(key, value) {
      log.push(`set ${key}`);
      if (failing.set) throw failing.set;
      entries.set(key, value);
    },
    async delete(key) {
      entries.delete(key);
    },
  };
  return { store, entries, log };
}

/** A call that counts how often it ran and answers when `finish` is called (or at once). */
function deferredCall(text = "fresh") {
  let runs = 0;
  let finish: (error?: Error) => void = () => {};
  const call = () => {
    runs++;
    return new Promise<LlmResponse>((resolve, reject) => {
      finish = (error) => (error ? reject(error) : resolve(answer(text)));
    });
  };
  return {
    call,
    get runs() {
      return runs;
    },
    finish: (error?: Error) => finish(error),
  };
}

describe("ResponseCache", () => {
  it("bypass calls every time and neither reads nor writes the store", async () => {
    const { store, log } = recordingStore();
    const cache = new ResponseCache(store, 1000);
    expect((await cache.run("k", "bypass", async () => answer("a"))).text).toBe("a");
    expect((await cache.run("k", "bypass", async () => answer("b"))).text).toBe("b");
    await cache.drain();
    expect(log).toEqual([]);
  });

  it("refresh calls without reading, and stores the answer", async () => {
    const { store, log, entries } = recordingStore();
    entries.set("k", JSON.stringify({ text: "stale", usage: { inputTokens: 1, outputTokens: 1 } }));
    const cache = new ResponseCache(store, 1000);
    expect(await cache.run("k", "refresh", async () => answer("new"))).toMatchObject({
      text: "new",
      cached: false,
    });
    expect(log).toEqual(["set k"]);
    expect(JSON.parse(entries.get("k") ?? "")).toEqual({
      text: "new",
      usage: { inputTokens: 7, outputTokens: 3 },
    });
  });

  it("answers a hit from the store at no cost, timed from the lookup", async () => {
    const { store } = recordingStore();
    const cache = new ResponseCache(store, 1000);
    await cache.run("k", "use", async () => answer("stored"));
    await cache.drain();
    const hit = await cache.run("k", "use", async () => answer("not called"));
    expect(hit).toMatchObject({
      text: "stored",
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
      cached: true,
    });
    expect(hit.latencyMs).toBeGreaterThanOrEqual(0);
    expect(hit.latencyMs).toBeLessThan(1000);
  });

  it("treats an unreadable stored value as a miss", async () => {
    for (const value of ["{}", '{"text": 3}', "null", "not json"]) {
      const { store, entries } = recordingStore();
      entries.set("k", value);
      const errors: unknown[] = [];
      const cache = new ResponseCache(store, 1000, Date.now, { onStoreError: (e) => errors.push(e) });
      expect((await cache.run("k", "use", async () => answer("called"))).text, value).toBe("called");
      expect(errors, value).toHaveLength(value === "not json" ? 1 : 0);
    }
  });

  it("goes on without the store when it fails, reporting it if asked, never failing the call", async () => {
    const broken = new Error("store down");
    const reported: unknown[] = [];
    const { store } = recordingStore({ get: broken, set: broken });
    const cache = new ResponseCache(store, 1000, Date.now, { onStoreError: (e) => reported.push(e) });
    expect((await cache.run("k", "use", async () => answer("ok"))).text).toBe("ok");
    await cache.drain();
    expect(reported).toEqual([broken, broken]);
    const silent = new ResponseCache(recordingStore({ get: broken, set: broken }).store, 1000);
    expect((await silent.run("k", "use", async () => answer("ok"))).text).toBe("ok");
    await expect(silent.drain()).resolves.toBeUndefined();
  });

  it("keeps what the store could not take: the same request again (a retried step) costs no call", async () => {
    const broken = new Error("database away");
    const failing: { get?: Error; set?: Error } = { get: broken, set: broken };
    const { store } = recordingStore(failing);
    let now = 0;
    const cache = new ResponseCache(store, 1000, () => now);
    let calls = 0;
    const call = async () => answer(`call ${++calls}`);
    expect(await cache.run("k", "use", call)).toMatchObject({ text: "call 1", cached: false });
    await cache.drain();
    // The store is still away: answered from memory, at no cost.
    expect(await cache.run("k", "use", call)).toMatchObject({ text: "call 1", cached: true, costUsd: 0 });
    expect(calls).toBe(1);
    // Not past the TTL, and not for another request.
    now = 1000;
    expect(await cache.run("k", "use", call)).toMatchObject({ text: "call 2", cached: false });
    await cache.drain();
    // Back: the next write lands in the store and the memory lets the entry go.
    delete failing.get;
    delete failing.set;
    expect(await cache.run("j", "use", call)).toMatchObject({ text: "call 3" });
    await cache.drain();
    expect(await cache.run("j", "use", call)).toMatchObject({ text: "call 3", cached: true });
    expect(calls).toBe(3);
  });

  it("coalesces identical calls in flight: one provider call, the followers answered at no cost", async () => {
    const cache = new ResponseCache(new MemoryCacheStore(), 1000);
    const provider = deferredCall();
    const leader = cache.run("k", "use", provider.call);
    const follower = cache.run("k", "use", provider.call);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.inFlight).toBe(1);
    provider.finish();
    expect(await leader).toMatchObject({ text: "fresh", cached: false, costUsd: 0.01 });
    expect(await follower).toMatchObject({
      text: "fresh",
      cached: true,
      costUsd: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
    });
    expect(provider.runs).toBe(1);
  });

  it("a follower whose leader failed gets the failure, without a second call", async () => {
    const cache = new ResponseCache(new MemoryCacheStore(), 1000);
    const provider = deferredCall();
    const leader = cache.run("k", "use", provider.call);
    const follower = cache.run("k", "use", provider.call);
    await new Promise((resolve) => setImmediate(resolve));
    provider.finish(new Error("provider said no"));
    await expect(leader).rejects.toThrow("provider said no");
    await expect(follower).rejects.toThrow("provider said no");
    expect(provider.runs).toBe(1);
    expect(cache.inFlight).toBe(0);
  });

  it("a follower still wanted calls again when its leader's caller went away", async () => {
    const cache = new ResponseCache(new MemoryCacheStore(), 1000);
    const leaving = new AbortController();
    const first = deferredCall("first");
    const second = deferredCall("second");
    const leader = cache.run("k", "use", first.call, leaving.signal);
    const follower = cache.run("k", "use", second.call, new AbortController().signal);
    await new Promise((resolve) => setImmediate(resolve));
    leaving.abort(new Error("caller left"));
    first.finish(new Error("aborted with its caller"));
    await expect(leader).rejects.toThrow("aborted with its caller");
    await new Promise((resolve) => setImmediate(resolve));
    expect(second.runs).toBe(1);
    second.finish();
    expect(await follower).toMatchObject({ text: "second", cached: false });
  });

  it("a follower that aborts leaves at once with its reason; the leader goes on", async () => {
    const cache = new ResponseCache(new MemoryCacheStore(), 1000);
    const provider = deferredCall();
    const leader = cache.run("k", "use", provider.call);
    const controller = new AbortController();
    const follower = cache.run("k", "use", provider.call, controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("not needed"));
    await expect(follower).rejects.toThrow("not needed");
    await expect(
      cache.run("k", "use", provider.call, AbortSignal.abort(new Error("already"))),
    ).rejects.toThrow("already");
    provider.finish();
    expect((await leader).text).toBe("fresh");
    expect(provider.runs).toBe(1);
  });
});

describe("MemoryCacheStore and cacheKey", () => {
  it("an entry expires at its TTL, not after", async () => {
    const store = new MemoryCacheStore();
    await store.set("k", "v", 1000, 0);
    expect(await store.get("k", 999)).toBe("v");
    expect(await store.get("k", 1000)).toBeUndefined();
    expect(store.size).toBe(0);
    await store.set("d", "v", 1000, 0);
    await store.delete("d");
    expect(await store.get("d", 0)).toBeUndefined();
  });

  it("keys differ by endpoint; no endpoint is the provider's default", () => {
    const base = { provider: "openai", model: "gpt", messages: [{ role: "user" as const, content: "x" }] };
    expect(cacheKey({ ...base, endpoint: "http://a/v1" })).not.toBe(
      cacheKey({ ...base, endpoint: "http://b/v1" }),
    );
    expect(cacheKey(base)).toBe(cacheKey({ ...base, endpoint: "" }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, endpoint: "http://a/v1" }));
  });
});
