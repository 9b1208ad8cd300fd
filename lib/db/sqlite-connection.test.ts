import { afterEach, describe, expect, it } from "vitest";
import { createClient, type Db, openDb, sqliteSynchronous } from "./client";
import { createTestDatabase, type TestDatabase } from "./test-databases";

// SQLite's `synchronous` is a per-connection setting: the app's connections get NORMAL (WAL mode keeps
// every commit across a process crash) unless STROP_SQLITE_SYNCHRONOUS=full asks for an fsync per commit.
describe("SQLite connections", () => {
  let database: TestDatabase | undefined;
  const clients: Db[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.$disconnect();
    await database?.drop();
    delete process.env.STROP_SQLITE_SYNCHRONOUS;
  });

  async function synchronousOf(db: Db): Promise<number> {
    const [row] = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
    return Number(row?.synchronous);
  }

  it("run with synchronous = NORMAL in WAL mode, FULL when asked, on every connection", async () => {
    database = await createTestDatabase("sqlite");
    const db = await openDb(database.url);
    clients.push(db);
    const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(mode?.journal_mode).toBe("wal");
    expect(await synchronousOf(db)).toBe(1);
    // A connection opened again (after a disconnect) gets it too.
    await db.$disconnect();
    expect(await synchronousOf(db)).toBe(1);

    process.env.STROP_SQLITE_SYNCHRONOUS = "full";
    const full = await createClient(database.url);
    clients.push(full);
    expect(await synchronousOf(full)).toBe(2);
  });

  it("reads the setting case-blind; anything else is NORMAL", () => {
    expect(sqliteSynchronous({ STROP_SQLITE_SYNCHRONOUS: " FULL " })).toBe("FULL");
    expect(sqliteSynchronous({ STROP_SQLITE_SYNCHRONOUS: "off" })).toBe("NORMAL");
    expect(sqliteSynchronous({})).toBe("NORMAL");
  });
});
