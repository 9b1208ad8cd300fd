// The database cache store's batching, against an in-memory repository that records its statements
// (the store over a real SQLite and PostgreSQL database: cache.test.ts).
import { describe, expect, it } from "vitest";
import { createDbCacheStore, type LlmCacheRepository } from "./db-cache";

/** A repository in memory; each method call is one "statement". `hold` makes getMany wait. */
function memoryRepository() {
  const rows = new Map<string, { value: string; expiresAt: Date }>();
  const calls = {
    getMany: [] as { keys: string[]; now: number }[],
    putMany: [] as { key: string; value: string; expiresAt: number }[][],
    sweep: [] as number[],
    delete: [] as string[],
  };
  let held: Promise<void> | undefined;
  let failReads: Error | undefined;
  const repository: LlmCacheRepository = {
    async getMany(keys, now) {
      calls.getMany.push({ keys: [...keys], now: now.getTime() });
      if (held) await held;
      if (failReads) throw failReads;
      const found = new Map<string, string>();
      for (const key of keys) {
        const row = rows.get(key);
        if (row && row.expiresAt > now) found.set(key, row.value);
      }
      return found;
    },
    async putMany(entries) {
      calls.putMany.push(
        entries.map((e) => ({ key: e.key, value: e.value, expiresAt: e.expiresAt.getTime() })),
      );
      for (const e of entries) rows.set(e.key, { value: e.value, expiresAt: e.expiresAt });
    },
    async delete(key) {
      calls.delete.push(key);
      rows.delete(key);
    },
    async sweep(now) {
      calls.sweep.push(now.getTime());
      return 0;
    },
  };
  return {
    repository,
    calls,
    hold() {
      let release = () => {};
      held = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        held = undefined;
        release();
      };
    },
    failReadsWith(error: Error) {
      failReads = error;
    },
  };
}

describe("the database cache store", () => {
  it("reads of one moment go in one query, each key once, as of the earliest caller's time", async () => {
    const db = memoryRepository();
    const store = createDbCacheStore(db.repository, { writeDelayMs: 0 });
    await store.set("a", "1", 10_000, 0);
    const results = await Promise.all([store.get("a", 1_000), store.get("b", 500), store.get("a", 2_000)]);
    expect(results).toEqual(["1", undefined, "1"]);
    expect(db.calls.getMany).toEqual([{ keys: ["a", "b"], now: 500 }]);
  });

  it("reads that arrive while a query runs go together in the next one", async () => {
    const db = memoryRepository();
    const store = createDbCacheStore(db.repository);
    const release = db.hold();
    const first = store.get("a", 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.calls.getMany).toHaveLength(1);
    const later = [store.get("b", 0), store.get("c", 0)];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(db.calls.getMany).toHaveLength(1); // nothing sent while the first query runs
    release();
    await Promise.all([first, ...later]);
    expect(db.calls.getMany.map((c) => c.keys)).toEqual([["a"], ["b", "c"]]);
  });

  it("sends at most maxBatch keys per query", async () => {
    const db = memoryRepository();
    const store = createDbCacheStore(db.repository, { maxBatch: 2 });
    await Promise.all(["a", "b", "c", "d", "e"].map((key) => store.get(key, 0)));
    expect(db.calls.getMany.map((c) => c.keys)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("fails every read of a query that failed", async () => {
    const db = memoryRepository();
    const store = createDbCacheStore(db.repository);
    db.failReadsWith(new Error("database gone"));
    const reads = [store.get("a", 0), store.get("b", 0)];
    for (const read of reads) await expect(read).rejects.toThrow("database gone");
  });

  it("collects writes for 100 ms by default into one statement; the last write of a key wins", async () => {
    const db = memoryRepository();
    const store = createDbCacheStore(db.repository);
    const first = store.set("k", "old", 1_000, 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = store.set("k", "new", 1_000, 5);
    const third = store.set("j", "other", 1_000, 5);
    await Promise.all([first, second, third]);
    expect(db.calls.putMany).toEqual([
      [
        { key: "k", value: "new", expiresAt: 1_005 },
        { key: "j", value: "other", expiresAt: 1_005 },
      ],
    ]);
  });

  it("sweeps expired rows with the first write, then at most once per sweepEveryMs, as of the latest write", async () => {
    const db = memoryRepository();
    const store = createDbCacheStore(db.repository, { writeDelayMs: 0, sweepEveryMs: 1_000 });
    await Promise.all([store.set("a", "1", 10, 100), store.set("b", "1", 10, 200)]);
    expect(db.calls.sweep).toEqual([200]);
    await store.set("c", "1", 10, 1_199);
    expect(db.calls.sweep).toEqual([200]);
    await store.set("d", "1", 10, 1_200);
    expect(db.calls.sweep).toEqual([200, 1_200]);
  });

  it("deletes through the repository", async () => {
    const db = memoryRepository();
    const store = createDbCacheStore(db.repository);
    await store.delete("gone");
    expect(db.calls.delete).toEqual(["gone"]);
  });
});
