// The Prisma client for Strop: SQLite (default, zero setup) or PostgreSQL, chosen by DATABASE_URL.
// Only lib/db imports Prisma or the generated clients; everything else receives a `Db`.
import fs from "node:fs";
import path from "node:path";
import type { Prisma, PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";
import { type DbProvider, migrate, providerOf, redact, sqlitePath } from "./migrate";

/**
 * The database client type used across lib/db. Both generated clients come from the same models and
 * have the same query API; Prisma 7 still emits one client per provider, so we pick the SQLite one as
 * *the* type (its API is the narrower of the two: code that type-checks against it runs on both) and
 * cast the PostgreSQL client to it.
 */
export type Db = SqlitePrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

/** SQLite file used when DATABASE_URL is unset: `${STROP_DATA_DIR ?? ".strop"}/strop.db`. */
export function defaultDatabaseUrl(): string {
  // Runtime data, not a build input: the comment keeps Next's file tracer from globbing the project.
  const dir = path.resolve(/* turbopackIgnore: true */ process.env.STROP_DATA_DIR ?? ".strop");
  return `file:${path.join(dir, "strop.db")}`;
}

/** DATABASE_URL, or the default SQLite file. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : defaultDatabaseUrl();
}

export function databaseProvider(url = databaseUrl()): DbProvider {
  return providerOf(url);
}

/**
 * Entries of Prisma's query plan cache (default 1,000). Raw statements are cached with their parameters,
 * so a long batch (a hundred rows per statement) would keep up to a thousand of them, tens of MB, alive;
 * the typed queries of the app have far fewer shapes than this.
 */
const QUERY_PLAN_CACHE_SIZE = 100;

/**
 * SQLite's `synchronous` for the app's connections. The database is in WAL mode (migrate.ts), where
 * NORMAL never corrupts and never loses a commit when the process dies; only a power loss or an OS crash
 * may roll back the last commits. FULL also survives those, at an fsync per commit that stalls the
 * process (better-sqlite3 is synchronous): ~1.3 ms per commit on this project's machines against
 * ~0.03 ms. STROP_SQLITE_SYNCHRONOUS=full restores it (docs/operations.md).
 */
export function sqliteSynchronous(env: Record<string, string | undefined> = process.env): "NORMAL" | "FULL" {
  return env.STROP_SQLITE_SYNCHRONOUS?.trim().toLowerCase() === "full" ? "FULL" : "NORMAL";
}

type SqliteAdapterFactory = InstanceType<
  Awaited<typeof import("@prisma/adapter-better-sqlite3")>["PrismaBetterSqlite3"]
>;

/** The factory with `pragmas` run on every connection it opens (pragmas like `synchronous` are per connection). */
function withConnectionPragmas(factory: SqliteAdapterFactory, pragmas: string[]): SqliteAdapterFactory {
  const script = pragmas.map((p) => `PRAGMA ${p};`).join("\n");
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    async connect() {
      const adapter = await connect();
      await adapter.executeScript(script);
      return adapter;
    },
  });
}

/** A client for `url` without touching the schema. The caller disconnects it. */
export async function createClient(url: string): Promise<Db> {
  if (providerOf(url) === "sqlite") {
    const file = sqlitePath(url);
    if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
    const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([
      import("./generated/sqlite/client"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    return new PrismaClient({
      adapter: withConnectionPragmas(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 }), [
        `synchronous = ${sqliteSynchronous()}`,
      ]),
      queryPlanCacheMaxSize: QUERY_PLAN_CACHE_SIZE,
    });
  }
  const [{ PrismaClient }, { PrismaPg }, { default: pg }] = await Promise.all([
    import("./generated/postgres/client"),
    import("@prisma/adapter-pg"),
    import("pg"),
  ]);
  const pool = new pg.Pool({ connectionString: url });
  // A connection the server ends (restart, failover) while it is checked out has no listener of
  // pg-pool's: its 'error' event would be an uncaught exception that kills the process. The query in
  // flight fails on its own (and is retried as transient); the pool drops the connection.
  pool.on("connect", (client) => client.on("error", () => {}));
  pool.on("error", () => {});
  // Same models, same API (see `Db`): only the provider-specific internals differ.
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    queryPlanCacheMaxSize: QUERY_PLAN_CACHE_SIZE,
  }) as unknown as Db;
}

/**
 * Applies pending migrations to `url`, then returns a new client (the caller disconnects it).
 * Used by tests and tools; the app uses `getDb()`.
 */
export async function openDb(url: string, options: { migrate?: boolean } = {}): Promise<Db> {
  if (options.migrate !== false) await migrate(url);
  return createClient(url);
}

// Kept on globalThis so that Next.js hot reloads reuse one client per process.
const holder = globalThis as typeof globalThis & { __stropDb?: Promise<Db> };

/**
 * The process-wide client for DATABASE_URL (default: the SQLite file under STROP_DATA_DIR). The first
 * call applies pending migrations (unless STROP_AUTO_MIGRATE=0), so a fresh install just works.
 */
export function getDb(): Promise<Db> {
  if (!holder.__stropDb) {
    const url = databaseUrl();
    const pending = openDb(url, { migrate: process.env.STROP_AUTO_MIGRATE !== "0" }).catch(
      (error: unknown) => {
        holder.__stropDb = undefined;
        throw new Error(`cannot open the database ${redact(url)}: ${(error as Error).message}`, {
          cause: error,
        });
      },
    );
    holder.__stropDb = pending;
  }
  return holder.__stropDb;
}

/** Disconnects the process-wide client (next `getDb()` opens a new one). */
export async function closeDb(): Promise<void> {
  const pending = holder.__stropDb;
  holder.__stropDb = undefined;
  if (pending) await (await pending.catch(() => undefined))?.$disconnect();
}
