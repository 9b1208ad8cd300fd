// /api/ready's checks against real databases and a real Redis (and a port where none listens).
import net from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/ready/route";
import { closeDb } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "@/lib/db/test-databases";
import { checkReadiness } from "./readiness";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const databases: TestDatabase[] = [];
const saved = { url: process.env.DATABASE_URL, auto: process.env.STROP_AUTO_MIGRATE };

afterEach(async () => {
  await closeDb();
});
afterAll(async () => {
  process.env.DATABASE_URL = saved.url;
  process.env.STROP_AUTO_MIGRATE = saved.auto;
  if (saved.url === undefined) delete process.env.DATABASE_URL;
  if (saved.auto === undefined) delete process.env.STROP_AUTO_MIGRATE;
  for (const database of databases) await database.drop();
});

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(TEST_PROVIDERS)("readiness (%s)", (provider) => {
  it("names migrations not applied, then is ready once they are", async () => {
    const database = await createTestDatabase(provider);
    databases.push(database);
    process.env.DATABASE_URL = database.url;
    process.env.STROP_AUTO_MIGRATE = "0";
    const before = await checkReadiness({ REDIS_URL: "" });
    expect(before.ready).toBe(false);
    expect(before.checks.database).toEqual({ ok: true, detail: provider });
    expect(before.checks.migrations).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not applied: \d{14}_/),
    });
    await migrate(database.url);
    const after = await checkReadiness({ REDIS_URL: "" });
    expect(after).toMatchObject({ ready: true, checks: { migrations: { ok: true } } });
    expect(after.checks.redis).toBeUndefined();
  });
});

describe("readiness with Redis", () => {
  it("checks Redis when it is configured, and fails fast when it is down", async () => {
    const database = await createTestDatabase("sqlite");
    databases.push(database);
    process.env.DATABASE_URL = database.url;
    delete process.env.STROP_AUTO_MIGRATE;
    expect(await checkReadiness({ REDIS_URL })).toMatchObject({
      ready: true,
      checks: { redis: { ok: true } },
    });
    const down = `redis://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const result = await checkReadiness({ REDIS_URL: down });
    expect(result).toMatchObject({ ready: false, checks: { redis: { ok: false }, database: { ok: true } } });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(JSON.stringify(result)).not.toContain("127.0.0.1");
  });

  it("the route answers 503 with the failed checks, 200 when ready", async () => {
    const database = await createTestDatabase("sqlite");
    databases.push(database);
    process.env.DATABASE_URL = database.url;
    process.env.STROP_AUTO_MIGRATE = "0";
    const savedRedis = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      const notReady = await GET();
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({
        status: "not ready",
        checks: { migrations: { ok: false } },
      });
      await migrate(database.url);
      const ready = await GET();
      expect(ready.status).toBe(200);
      expect(ready.headers.get("cache-control")).toBe("no-store");
    } finally {
      if (savedRedis !== undefined) process.env.REDIS_URL = savedRedis;
    }
  });
});
