// The resolved-prompt cache and the generate gateways' pool, in memory.
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { ServingGateways } from "./gateways";
import { ServedPromptCache, servingCacheTtlMs } from "./prompt-cache";

describe("ServedPromptCache", () => {
  const key = (task: string, selector: string) => ServedPromptCache.key("p1", task, selector);

  it("keeps an answer for the TTL", () => {
    let now = 0;
    const cache = new ServedPromptCache<string>(5_000, 100, () => now);
    cache.fill(key("a", "label:production"), "p1", "a", "v1", cache.epoch());
    now = 4_999;
    expect(cache.get(key("a", "label:production"))).toBe("v1");
    now = 5_000;
    expect(cache.get(key("a", "label:production"))).toBeUndefined();
  });

  it("a change of a task forgets all of its answers, and only its", () => {
    const cache = new ServedPromptCache<string>(60_000);
    for (const [task, selector] of [
      ["a", "label:production"],
      ["a", "version:2"],
      ["b", "label:production"],
    ])
      cache.fill(key(task!, selector!), "p1", task!, `${task} ${selector}`, cache.epoch());
    cache.fill(
      ServedPromptCache.key("p2", "a", "label:production"),
      "p2",
      "a",
      "other project",
      cache.epoch(),
    );
    cache.invalidateTask("p1", "a");
    expect(cache.get(key("a", "label:production"))).toBeUndefined();
    expect(cache.get(key("a", "version:2"))).toBeUndefined();
    expect(cache.get(key("b", "label:production"))).toBe("b label:production");
    expect(cache.get(ServedPromptCache.key("p2", "a", "label:production"))).toBe("other project");
  });

  it("refuses what a read that raced a change brings back", () => {
    const cache = new ServedPromptCache<string>(60_000);
    const before = cache.epoch(); // a read starts …
    cache.invalidateTask("p1", "a"); // … a label moves and commits …
    cache.fill(key("a", "label:production"), "p1", "a", "old version", before); // … the read ends
    expect(cache.get(key("a", "label:production"))).toBeUndefined();
  });

  it("holds at most maxEntries; a TTL of 0 stores nothing; the TTL comes from the environment", () => {
    const cache = new ServedPromptCache<string>(60_000, 2);
    for (const task of ["a", "b", "c"]) cache.fill(key(task, "label:x"), "p1", task, task, cache.epoch());
    expect(cache.size).toBe(2);
    expect(cache.get(key("a", "label:x"))).toBeUndefined();
    const off = new ServedPromptCache<string>(0);
    off.fill(key("a", "label:x"), "p1", "a", "a", off.epoch());
    expect(off.size).toBe(0);
    expect(servingCacheTtlMs({})).toBe(5_000);
    expect(servingCacheTtlMs({ STROP_SERVING_CACHE_SECONDS: "0" })).toBe(0);
    expect(servingCacheTtlMs({ STROP_SERVING_CACHE_SECONDS: "1.5" })).toBe(1_500);
    expect(servingCacheTtlMs({ STROP_SERVING_CACHE_SECONDS: "-1" })).toBe(5_000);
  });
});

describe("ServingGateways", () => {
  const db = {} as Db; // sim models are never cached: the database is not touched
  const model = { id: "sim:default", concurrency: 2, params: {} };
  const credentials = { env: {}, models: {} };

  it("reuses a gateway per project, model and credentials; a change is another gateway", async () => {
    const pool = new ServingGateways(db, 2);
    const first = pool.get({ projectId: "p1", model, credentials, env: {} });
    expect(pool.get({ projectId: "p1", model, credentials, env: {} })).toBe(first);
    expect(pool.get({ projectId: "p2", model, credentials, env: {} })).not.toBe(first);
    const rotated = { env: {}, models: { "sim:default": { SIM_KEY: "new" } } };
    expect(pool.get({ projectId: "p1", model, credentials: rotated, env: {} })).not.toBe(first);
    // Two gateways at most: the least recently used one (the first) was closed and replaced.
    expect(pool.get({ projectId: "p1", model, credentials, env: {} })).not.toBe(first);
    const answer = await pool.get({ projectId: "p1", model, credentials, env: {} }).generate({
      model: "sim:default",
      messages: [{ role: "user", content: "Classify: great" }],
    });
    expect(answer.text.length).toBeGreaterThan(0);
    await pool.close();
  });
});
