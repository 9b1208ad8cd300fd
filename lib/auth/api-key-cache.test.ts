// The verified-key cache: entries expire after the TTL, a revocation forgets its key at once (also when
// it races a verification that read the key before), and a cached key needs no database read — proven
// against a real database by changing the stored key behind the cache's back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { createProjectApiKey, revokeProjectApiKey } from "@/lib/services/api-keys";
import { projectAccess } from "./access";
import { ApiKeyCache, apiKeyCacheTtlMs, setApiKeyCache, TOUCH_INTERVAL_MS } from "./api-key-cache";
import { principalFromApiKey } from "./authenticate";
import type { ApiKeyPrincipal } from "./principal";

const principal = (keyId: string): ApiKeyPrincipal => ({
  kind: "api_key",
  keyId,
  prefix: `strop_${keyId}`,
  name: keyId,
  projectId: "p1",
  role: "viewer",
});
const project = {
  id: "p1",
  slug: "alpha",
  name: "Alpha",
  createdAt: new Date(0),
  organization: { id: "o1", slug: "default", name: "Default" },
};

describe("ApiKeyCache", () => {
  it("keeps an entry for the TTL, then forgets it", () => {
    let now = 1_000;
    const cache = new ApiKeyCache(10_000, 100, () => now);
    cache.remember("h1", principal("k1"), project, cache.epoch());
    expect(cache.get("h1")?.principal.keyId).toBe("k1");
    expect(cache.projectOf("k1", "alpha")).toBe(project);
    expect(cache.projectOf("k1", "beta")).toBeUndefined();
    now += 9_999;
    expect(cache.get("h1")).toBeDefined();
    now += 1;
    expect(cache.get("h1")).toBeUndefined();
    expect(cache.projectOf("k1", "alpha")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("forgets a revoked key at once and refuses a verification that started before the revocation", () => {
    const cache = new ApiKeyCache(10_000);
    cache.remember("h1", principal("k1"), project, cache.epoch());
    const before = cache.epoch(); // a verification reads the key from the database …
    cache.forgetKey("k1"); // … while the key is revoked
    expect(cache.get("h1")).toBeUndefined();
    cache.remember("h1", principal("k1"), project, before);
    expect(cache.get("h1")).toBeUndefined();
    cache.remember("h1", principal("k1"), project, cache.epoch());
    expect(cache.get("h1")).toBeDefined();
  });

  it("holds at most maxEntries (the oldest goes first); a TTL of 0 stores nothing", () => {
    const cache = new ApiKeyCache(10_000, 2);
    for (const id of ["a", "b", "c"]) cache.remember(`h-${id}`, principal(id), project, cache.epoch());
    expect([cache.get("h-a"), cache.get("h-b"), cache.get("h-c")].map((e) => e?.principal.keyId)).toEqual([
      undefined,
      "b",
      "c",
    ]);
    const off = new ApiKeyCache(0);
    off.remember("h1", principal("k1"), project, off.epoch());
    expect(off.size).toBe(0);
  });

  it("says when the last use is due to be stamped: at most once a minute", () => {
    let now = 0;
    const cache = new ApiKeyCache(3_600_000, 10, () => now);
    cache.remember("h1", principal("k1"), project, cache.epoch());
    const entry = cache.get("h1")!;
    expect(cache.touchDue(entry)).toBe(false);
    now += TOUCH_INTERVAL_MS;
    expect(cache.touchDue(entry)).toBe(true);
    expect(cache.touchDue(entry)).toBe(false);
  });

  it("reads its TTL from STROP_API_KEY_CACHE_SECONDS", () => {
    expect(apiKeyCacheTtlMs({})).toBe(10_000);
    expect(apiKeyCacheTtlMs({ STROP_API_KEY_CACHE_SECONDS: "0" })).toBe(0);
    expect(apiKeyCacheTtlMs({ STROP_API_KEY_CACHE_SECONDS: "2.5" })).toBe(2_500);
    expect(apiKeyCacheTtlMs({ STROP_API_KEY_CACHE_SECONDS: "soon" })).toBe(10_000);
  });
});

describe("authentication through the cache (SQLite)", () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await createApiWorld("sqlite");
  });
  afterEach(() => setApiKeyCache());
  afterAll(async () => {
    await w?.close();
  });

  const ownerAccess = () => projectAccess(w.db, w.users.owner.principal, "alpha");

  it("a cached key is served from memory: the database's copy is not read again within the TTL", async () => {
    setApiKeyCache(new ApiKeyCache(60_000));
    const { secret, apiKey } = await createProjectApiKey(
      w.db,
      await ownerAccess(),
      { name: "cached", role: "viewer" },
      { type: "system", id: null, label: "test", ip: null, userAgent: null },
    );
    expect((await principalFromApiKey(w.db, secret))?.keyId).toBe(apiKey.id);
    // Spoil the stored hash: a database read would now refuse the key.
    await w.db.apiKey.update({ where: { id: apiKey.id }, data: { secretHash: "0".repeat(64) } });
    const again = await principalFromApiKey(w.db, secret);
    expect(again?.keyId).toBe(apiKey.id);
    // The key's project comes from the cache too (a key of another slug still goes to the database).
    expect((await projectAccess(w.db, again!, "alpha")).project.id).toBe(w.projects.alpha.id);
    await expect(projectAccess(w.db, again!, "beta")).rejects.toMatchObject({ status: 404 });
    // Without the cache the spoiled key is refused.
    setApiKeyCache(new ApiKeyCache(0));
    expect(await principalFromApiKey(w.db, secret)).toBeNull();
  });

  it("revoking a key ends it at once in this process, cached or not", async () => {
    setApiKeyCache(new ApiKeyCache(60_000));
    const actor = { type: "system" as const, id: null, label: "test", ip: null, userAgent: null };
    const access = await ownerAccess();
    const { secret, apiKey } = await createProjectApiKey(
      w.db,
      access,
      { name: "soon gone", role: "viewer" },
      actor,
    );
    expect(await principalFromApiKey(w.db, secret)).not.toBeNull();
    await revokeProjectApiKey(w.db, access, apiKey.id, actor);
    expect(await principalFromApiKey(w.db, secret)).toBeNull();
  });

  it("wrong and malformed keys are never cached", async () => {
    const cache = new ApiKeyCache(60_000);
    setApiKeyCache(cache);
    const tampered = `${w.keys.alphaViewer.slice(0, -1)}${w.keys.alphaViewer.endsWith("A") ? "B" : "A"}`;
    expect(await principalFromApiKey(w.db, tampered)).toBeNull();
    expect(await principalFromApiKey(w.db, "strop_nope")).toBeNull();
    expect(cache.size).toBe(0);
  });
});
