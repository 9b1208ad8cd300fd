// Applies the committed migrations (prisma/migrations/{sqlite,postgres}/<name>/migration.sql) with the
// plain drivers, no native Prisma binary. Each migration runs in its own transaction and is recorded in
// `_prisma_migrations` exactly as Prisma's schema engine records it (same table, same checksum: the
// sha256 hex of the file), so `prisma migrate deploy` accepts the database wherever the native engine
// exists. Idempotent: applied migrations are skipped; an applied migration whose file changed since, or
// a migration Prisma recorded as failed, stops everything with a MigrationError.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type DbProvider = "sqlite" | "postgresql";

export interface MigrationFile {
  /** Folder name, e.g. "20261126173052_init". */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql, as Prisma computes it. */
  checksum: string;
}

export interface MigrateResult {
  provider: DbProvider;
  /** Applied by this call, in order. */
  applied: string[];
  /** Already applied before this call. */
  alreadyApplied: string[];
  /** Recorded in the database but absent from the migrations folder (the database is newer). */
  notInFolder: string[];
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/** Prisma's advisory lock key for migrations: we serialize with `prisma migrate` too. */
const PG_ADVISORY_LOCK = 72707369;

export function providerOf(url: string): DbProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new MigrationError(`unsupported database URL "${redact(url)}": expected file:… or postgres(ql)://…`);
}

/** The file path of a `file:` URL (relative paths resolve from the working directory). */
export function sqlitePath(url: string): string {
  const raw = url.replace(/^file:(\/\/)?/, "").replace(/\?.*$/, "");
  return raw === ":memory:" ? raw : path.resolve(raw);
}

/** Root holding sqlite/ and postgres/: STROP_MIGRATIONS_DIR, else <cwd>/prisma/migrations. */
export function migrationsRoot(): string {
  // Read at run time from the working tree (or STROP_MIGRATIONS_DIR), never bundled: the comments keep
  // Next's file tracer from globbing the whole project for these paths.
  return path.resolve(
    /* turbopackIgnore: true */ process.env.STROP_MIGRATIONS_DIR ??
      path.join(process.cwd(), "prisma", "migrations"),
  );
}

/** The committed migrations for one database, in the order Prisma applies them. */
export function readMigrations(provider: DbProvider, root = migrationsRoot()): MigrationFile[] {
  const dir = path.join(/* turbopackIgnore: true */ root, provider === "sqlite" ? "sqlite" : "postgres");
  if (!fs.existsSync(/* turbopackIgnore: true */ dir))
    throw new MigrationError(`migrations folder not found: ${dir} (set STROP_MIGRATIONS_DIR)`);
  const lock = path.join(/* turbopackIgnore: true */ dir, "migration_lock.toml");
  const lockProvider = fs.existsSync(/* turbopackIgnore: true */ lock)
    ? /provider\s*=\s*"([^"]+)"/.exec(fs.readFileSync(/* turbopackIgnore: true */ lock, "utf8"))?.[1]
    : undefined;
  if (lockProvider && lockProvider !== provider) {
    throw new MigrationError(`${lock} is for "${lockProvider}", not "${provider}"`);
  }
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const file = path.join(/* turbopackIgnore: true */ dir, name, "migration.sql");
      if (!fs.existsSync(/* turbopackIgnore: true */ file)) throw new MigrationError(`${file} is missing`);
      const bytes = fs.readFileSync(/* turbopackIgnore: true */ file);
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Decides what to apply; refuses edited or failed migrations before anything runs. */
function plan(files: MigrationFile[], rows: AppliedRow[]) {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
  if (failed.length > 0) {
    throw new MigrationError(
      `migration(s) ${failed.join(", ")} failed earlier in this database and were never marked rolled back; ` +
        "fix the database by hand, then `prisma migrate resolve --rolled-back <name>` (or delete the row)",
    );
  }
  const done = new Map(live.map((r) => [r.migration_name, r.checksum]));
  for (const f of files) {
    const checksum = done.get(f.name);
    if (checksum !== undefined && checksum !== f.checksum) {
      throw new MigrationError(
        `migration ${f.name} was modified after it was applied (checksum in database ${checksum}, ` +
          `file ${f.checksum}); restore the original file and add a new migration instead`,
      );
    }
  }
  const names = new Set(files.map((f) => f.name));
  return {
    pending: files.filter((f) => !done.has(f.name)),
    alreadyApplied: files.filter((f) => done.has(f.name)).map((f) => f.name),
    notInFolder: [...done.keys()].filter((n) => !names.has(n)),
  };
}

/**
 * Applies the pending migrations to the database at `url` (SQLite `file:` or PostgreSQL URL).
 * Cheap when up to date: one read of `_prisma_migrations`.
 */
export async function migrate(url: string, options: { migrationsDir?: string } = {}): Promise<MigrateResult> {
  const provider = providerOf(url);
  const files = readMigrations(provider, options.migrationsDir);
  return provider === "sqlite" ? migrateSqlite(url, files) : migratePostgres(url, files);
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Prisma stores SQLite timestamps as RFC 3339 text: 2026-11-26T17:30:06.716+00:00. */
const sqliteNow = () => new Date().toISOString().replace("Z", "+00:00");

async function migrateSqlite(url: string, files: MigrationFile[]): Promise<MigrateResult> {
  const { default: Database } = await import("better-sqlite3");
  const file = sqlitePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  try {
    if (file !== ":memory:") db.pragma("journal_mode = WAL");
    db.exec(SQLITE_TABLE);
    const read = () => db.prepare(`SELECT * FROM "_prisma_migrations"`).all() as AppliedRow[];
    const { pending, alreadyApplied, notInFolder } = plan(files, read());
    const applied: string[] = [];
    // Prisma's SQLite scripts redefine tables (DROP + RENAME) between `PRAGMA foreign_keys=OFF/ON`,
    // which SQLite ignores inside a transaction: switch enforcement off around the transaction (or a
    // DROP TABLE would cascade-delete child rows), and check the keys before committing instead.
    db.pragma("foreign_keys = OFF");
    try {
      for (const m of pending) {
        db.exec("BEGIN IMMEDIATE");
        try {
          // Another process may have applied it while we waited for the write lock.
          if (plan([m], read()).pending.length === 0) {
            db.exec("COMMIT");
            continue;
          }
          const startedAt = sqliteNow();
          db.exec(m.sql);
          const violations = db.pragma("foreign_key_check") as unknown[];
          if (violations.length > 0) {
            throw new Error(
              `foreign key violations after the migration: ${JSON.stringify(violations.slice(0, 5))}`,
            );
          }
          db.prepare(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count") VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
          ).run(randomUUID(), m.checksum, sqliteNow(), m.name, startedAt);
          db.exec("COMMIT");
          applied.push(m.name);
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw new MigrationError(`migration ${m.name} failed (rolled back): ${message(error)}`, {
            cause: error,
          });
        }
      }
    } finally {
      db.pragma("foreign_keys = ON");
    }
    return { provider: "sqlite", applied, alreadyApplied, notInFolder };
  } finally {
    db.close();
  }
}

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

async function migratePostgres(url: string, files: MigrationFile[]): Promise<MigrateResult> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Serializes concurrent migrators (app instances, CLI, `prisma migrate`).
    await client.query("SELECT pg_advisory_lock($1)", [PG_ADVISORY_LOCK]);
    await client.query(POSTGRES_TABLE);
    const { rows } = await client.query<AppliedRow>(`SELECT * FROM "_prisma_migrations"`);
    const { pending, alreadyApplied, notInFolder } = plan(files, rows);
    const applied: string[] = [];
    for (const m of pending) {
      const startedAt = new Date();
      await client.query("BEGIN");
      try {
        // One simple query (no parameters): the whole script in one round trip, `$$` bodies intact.
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count") VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), m.checksum, m.name, startedAt],
        );
        await client.query("COMMIT");
        applied.push(m.name);
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(`migration ${m.name} failed (rolled back): ${message(error)}`, {
          cause: error,
        });
      }
    }
    return { provider: "postgresql", applied, alreadyApplied, notInFolder };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}
