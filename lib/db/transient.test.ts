// Which database errors are transient, on the errors the drivers really throw (a PostgreSQL backend
// terminated mid-query, SQLite busy) and on the shapes Prisma documents; and the retry with backoff.
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "./index";
import { createTestDatabase, type TestDatabase } from "./test-databases";
import { isDatabaseError, isTransientDbError, retryTransient, transientErrorCode } from "./transient";

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function database(provider: "sqlite" | "postgresql"): Promise<{ t: TestDatabase; db: Db }> {
  const t = await createTestDatabase(provider);
  const db = await openDb(t.url);
  cleanup.push(async () => {
    await db.$disconnect();
    await t.drop();
  });
  return { t, db };
}

describe("real driver errors", () => {
  it("PostgreSQL: a query whose backend is terminated (57P01) is transient, and a database error", async () => {
    const { t, db } = await database("postgresql");
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      const running = db.$queryRawUnsafe("SELECT pg_sleep(5)").catch((error: unknown) => error);
      // Wait until the query runs, then end every other backend of the database.
      for (let i = 0; i < 100; i++) {
        const { rows } = await admin.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%'",
        );
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      const error = await running;
      expect(error).toBeInstanceOf(Error);
      expect(isTransientDbError(error)).toBe(true);
      expect(isDatabaseError(error)).toBe(true);
      expect(transientErrorCode(error)).toBe("57P01");
      // The next query gets a new connection.
      expect(await retryTransient(() => db.project.count(), { baseDelayMs: 1 })).toBe(0);
    } finally {
      await admin.end();
    }
  }, 30_000);

  it("SQLite: a write while another connection holds the write lock (SQLITE_BUSY) is transient", async () => {
    const { t } = await database("sqlite");
    const file = t.url.replace(/^file:/, "");
    const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([
      import("./generated/sqlite/client"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    // A short busy timeout: the default waits 10 s for the lock.
    const impatient = new PrismaClient({
      adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 50 }),
    });
    const holder = new Database(file);
    try {
      holder.exec("BEGIN IMMEDIATE");
      const error = await impatient.organization
        .create({ data: { slug: "busy", name: "Busy" } })
        .catch((e: unknown) => e);
      expect(isTransientDbError(error)).toBe(true);
      expect(isDatabaseError(error)).toBe(true);
      holder.exec("ROLLBACK");
    } finally {
      holder.close();
      await impatient.$disconnect();
    }
  });

  it("a constraint violation is a database error but not transient", async () => {
    const { db } = await database("sqlite");
    const org = await db.organization.create({ data: { slug: "o", name: "O" } });
    const error = await db.organization
      .create({ data: { slug: org.slug, name: "again" } })
      .catch((e: unknown) => e);
    expect(isDatabaseError(error)).toBe(true);
    expect(isTransientDbError(error)).toBe(false);
  });
});

describe("classification of error shapes", () => {
  const prismaError = (code: string, cause?: Record<string, unknown>) =>
    Object.assign(new Error("Invalid `prisma.x.findMany()` invocation"), {
      name: "PrismaClientKnownRequestError",
      code,
      clientVersion: "7.10.0",
      meta: cause ? { driverAdapterError: { name: "DriverAdapterError", cause } } : {},
    });

  it("PostgreSQL SQLSTATEs, Prisma codes, adapter kinds, pg and SQLite messages", () => {
    const transient = [
      prismaError("P2039", { kind: "postgres", code: "57P01", originalCode: "57P01" }),
      prismaError("P2010", { kind: "postgres", code: "57P02" }),
      prismaError("P2010", { kind: "postgres", code: "57P03" }),
      prismaError("P2010", { kind: "postgres", code: "08006" }),
      prismaError("P2010", { kind: "postgres", code: "08P01" }),
      prismaError("P2034", { kind: "TransactionWriteConflict", originalCode: "40001" }),
      prismaError("P2034", { kind: "TransactionWriteConflict", originalCode: "40P01" }),
      prismaError("P1001", { kind: "DatabaseNotReachable" }),
      prismaError("P1002"),
      prismaError("P1008", { kind: "SocketTimeout", originalCode: "SQLITE_BUSY" }),
      prismaError("P1017", { kind: "ConnectionClosed" }),
      prismaError("P2010", { kind: "sqlite", extendedCode: 6, originalCode: "SQLITE_LOCKED" }),
      prismaError("P2010", { kind: "sqlite", extendedCode: 517 }), // SQLITE_BUSY_SNAPSHOT
      new Error("Connection terminated unexpectedly"),
      new Error("Client has encountered a connection error and is not queryable"),
      new Error("outer", { cause: Object.assign(new Error("x"), { code: "40001", severity: "ERROR" }) }),
    ];
    for (const error of transient) expect(isTransientDbError(error), String(error)).toBe(true);
    const permanent = [
      prismaError("P2002", { kind: "UniqueConstraintViolation" }),
      prismaError("P2025"),
      prismaError("P2010", { kind: "postgres", code: "22021" }),
      new Error("error budget exceeded: 20 of 20 provider calls failed"),
      Object.assign(new Error("fetch failed"), { code: "ECONNRESET" }),
      null,
      "text",
    ];
    for (const error of permanent) expect(isTransientDbError(error), String(error)).toBe(false);
  });

  it("database errors are recognised by Prisma's names and messages, not other errors", () => {
    expect(isDatabaseError(prismaError("P2002"))).toBe(true);
    expect(isDatabaseError(new Error("wrapped", { cause: prismaError("P2025") }))).toBe(true);
    expect(isDatabaseError(new Error("the model is down"))).toBe(false);
    expect(isDatabaseError(Object.assign(new Error("fetch failed"), { code: "ECONNRESET" }))).toBe(false);
  });
});

describe("retryTransient", () => {
  const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

  it("retries transient errors with doubling, jittered, capped delays, then gives up with the last error", async () => {
    const delays: number[] = [];
    let calls = 0;
    const error = await retryTransient(
      async () => {
        calls++;
        throw busy();
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 300,
        random: () => 1,
        sleep: async (ms) => void delays.push(ms),
        onRetry: () => {},
      },
    ).catch((e: unknown) => e);
    expect(calls).toBe(5);
    expect(delays).toEqual([100, 200, 300, 300]);
    expect((error as Error).message).toBe("database is locked");
  });

  it("returns what a later attempt returns; other errors are thrown at once", async () => {
    let calls = 0;
    const value = await retryTransient(
      async () => {
        if (++calls < 3) throw busy();
        return "done";
      },
      { sleep: async () => {}, onRetry: () => {} },
    );
    expect([value, calls]).toEqual(["done", 3]);
    calls = 0;
    const error = await retryTransient(
      async () => {
        calls++;
        throw new Error("bad input");
      },
      { sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect([(error as Error).message, calls]).toEqual(["bad input", 1]);
  });

  it("stops waiting when its signal aborts", async () => {
    const controller = new AbortController();
    const pending = retryTransient(
      async () => {
        throw busy();
      },
      { signal: controller.signal, baseDelayMs: 60_000, onRetry: () => {} },
    ).catch((e: unknown) => e);
    controller.abort(new Error("cancelled"));
    expect(((await pending) as Error).message).toBe("cancelled");
  });
});
