// Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm), driven through the Prisma driver
// adapters, so migrations can be diffed offline: the native schema engine cannot be downloaded here.
//
// Used by scripts/db-migrations.mjs (create/status) and by the drift test in lib/db. The glue relies on
// adapter internals of Prisma 7.10.0: keep every Prisma package (and @prisma/schema-engine-wasm, whose
// build hash must match the CLI's engines) pinned exactly; the drift test in lib/db/migrate.test.ts
// exercises all of it against real SQLite and PostgreSQL.
//
// Pitfalls handled here:
// - PrismaPg's shadow connection reuses the main database of its connection string (the engine resets
//   the shadow database!). We create and drop a dedicated, uniquely named shadow database instead.
// - adapter-pg cannot read pg_catalog's internal types ("char", OID 18, …) that the engine's describer
//   selects: failing queries are re-run with those columns decoded as text.
// - SQLite shadow databases are in-memory (the better-sqlite3 adapter's default).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** @typedef {"sqlite" | "postgresql"} Provider */

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** @type {Promise<any> | undefined} */
let wasmModule;

/** Loads and instantiates the WASM schema engine once per process. */
function loadWasm() {
  wasmModule ??= (async () => {
    const bgPath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = await import(pathToFileURL(bgPath).href);
    const wasmPath = path.join(path.dirname(bgPath), "schema_engine_bg.wasm");
    const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    /** @type {any} */ (instance.exports).__wbindgen_start?.();
    // The engine reports panics through this global before throwing "unreachable".
    /** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY ??= {
      message: "",
      set_message(/** @type {string} */ m) {
        this.message = m;
      },
    };
    return bg;
  })();
  return wasmModule;
}

/**
 * Reads a migrations folder the way the Prisma CLI does: one sub-folder per migration (sorted by
 * name) holding migration.sql, plus migration_lock.toml.
 * @param {string} baseDir
 */
export function readMigrationsList(baseDir) {
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const lockfile = {
    path: "migration_lock.toml",
    content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
  };
  const entries = fs.existsSync(baseDir) ? fs.readdirSync(baseDir, { withFileTypes: true }) : [];
  const migrationDirectories = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const file = path.join(baseDir, name, "migration.sql");
      const content = fs.existsSync(file)
        ? { tag: /** @type {const} */ ("ok"), value: fs.readFileSync(file, "utf8") }
        : { tag: /** @type {const} */ ("error"), value: `${file} not found` };
      return { path: name, migrationFile: { path: "migration.sql", content } };
    });
  return { baseDir, lockfile, migrationDirectories, shadowDbInitScript: "" };
}

/**
 * Wraps a connected PrismaPg adapter so that the engine's describer queries that select pg_catalog
 * internal types (e.g. `"char"` columns such as pg_constraint.contype) still work.
 * @param {any} adapter
 */
function tolerateInternalPgTypes(adapter) {
  const patch = (/** @type {any} */ queryable, /** @type {() => any} */ client) => {
    const original = queryable.queryRaw.bind(queryable);
    queryable.queryRaw = async (/** @type {any} */ query) => {
      try {
        return await original(query);
      } catch (error) {
        if (/** @type {any} */ (error)?.cause?.kind !== "UnsupportedNativeDataType") throw error;
        return queryWithTextFallback(client(), query);
      }
    };
  };
  patch(adapter, () => adapter.underlyingDriver());
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (/** @type {any[]} */ ...args) => {
    const tx = await startTransaction(...args);
    patch(tx, () => tx.client);
    return tx;
  };
  return adapter;
}

/**
 * Re-runs a query with every value read as text and typed by a small OID table (the types the
 * describer selects), anything unknown being Text.
 * @param {{ query: (q: object) => Promise<any> }} client
 * @param {{ sql: string; args: unknown[] }} query
 */
async function queryWithTextFallback(client, query) {
  const { ColumnTypeEnum: T } = await import("@prisma/driver-adapter-utils");
  const { fields, rows } = await client.query({
    text: query.sql,
    values: query.args,
    rowMode: "array",
    types: { getTypeParser: () => (/** @type {string} */ v) => v },
  });
  /** @type {Record<number, [number, (v: string) => unknown]>} */
  const byOid = {
    16: [T.Boolean, (v) => v === "t"],
    20: [T.Int64, (v) => v],
    26: [T.Int64, (v) => v],
    21: [T.Int32, Number],
    23: [T.Int32, Number],
    700: [T.Float, Number],
    701: [T.Double, Number],
  };
  const columns = fields.map(
    (/** @type {{ dataTypeID: number }} */ f) => byOid[f.dataTypeID] ?? [T.Text, String],
  );
  return {
    columnNames: fields.map((/** @type {{ name: string }} */ f) => f.name),
    columnTypes: columns.map(([type]) => type),
    rows: rows.map((/** @type {(string | null)[]} */ row) =>
      row.map((v, i) => (v === null ? null : /** @type {any} */ (columns[i])[1](v))),
    ),
  };
}

/** @param {string} url */
function pgDatabaseUrl(url, /** @type {string} */ database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * A migration-aware adapter factory for PostgreSQL whose shadow databases are fresh, dedicated
 * databases (never the main one). `cleanup` drops every shadow database it created: the engine
 * does not always dispose its shadow connection.
 * @param {string} url
 */
async function postgresFactory(url) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pg = (await import("pg")).default;
  const main = new PrismaPg({ connectionString: url });
  /** @type {Map<string, any>} */
  const shadows = new Map();
  /** @type {any[]} */
  const mains = [];
  const admin = async (/** @type {string} */ sql) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const dropShadow = async (/** @type {string} */ name) => {
    const adapter = shadows.get(name);
    if (!adapter) return;
    shadows.delete(name);
    await adapter.release?.().catch(() => {});
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  const factory = {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: async () => {
      const adapter = await main.connect();
      mains.push(adapter);
      return tolerateInternalPgTypes(adapter);
    },
    connectToShadowDb: async () => {
      const name = `strop_shadow_${randomUUID().replaceAll("-", "")}`;
      await admin(`CREATE DATABASE "${name}"`);
      const shadow = await new PrismaPg({ connectionString: pgDatabaseUrl(url, name) }).connect();
      shadows.set(name, shadow);
      shadow.dispose = () => dropShadow(name);
      return tolerateInternalPgTypes(shadow);
    },
  };
  // The engine does not always dispose its connections: end the pools and drop leftover shadows.
  const cleanup = async () => {
    for (const adapter of mains.splice(0)) await adapter.dispose().catch(() => {});
    for (const name of [...shadows.keys()]) await dropShadow(name);
  };
  return { factory, cleanup };
}

/**
 * better-sqlite3 prepares one statement at a time, but the engine sends whole migration scripts
 * through executeRaw/queryRaw when it replays migrations: run argument-less multi-statement SQL
 * with `exec` instead.
 * @param {any} adapter
 */
function allowSqliteScripts(adapter) {
  const isScriptError = (/** @type {any} */ e) =>
    /more than one statement/.test(String(e?.cause?.message ?? e?.message));
  for (const method of ["executeRaw", "queryRaw"]) {
    const original = adapter[method].bind(adapter);
    adapter[method] = async (/** @type {any} */ query) => {
      try {
        return await original(query);
      } catch (error) {
        if (query.args.length > 0 || !isScriptError(error)) throw error;
        adapter.client.exec(query.sql);
        return method === "executeRaw" ? 0 : { columnNames: [], columnTypes: [], rows: [] };
      }
    };
  }
  return adapter;
}

/** @param {string} url */
async function sqliteFactory(url) {
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  const base = new PrismaBetterSqlite3({ url });
  /** @type {any[]} */
  const opened = [];
  const track = (/** @type {any} */ adapter) => {
    opened.push(adapter);
    return allowSqliteScripts(adapter);
  };
  const factory = {
    provider: "sqlite",
    adapterName: base.adapterName,
    connect: async () => track(await base.connect()),
    // In-memory: never the main database file.
    connectToShadowDb: async () => track(await base.connectToShadowDb()),
  };
  // The engine does not close its connections when freed: close them, or the file stays locked.
  const cleanup = async () => {
    for (const adapter of opened.splice(0)) {
      if (adapter.client.open) {
        if (adapter.client.inTransaction) adapter.client.exec("ROLLBACK");
        adapter.client.close();
      }
    }
  };
  return { factory, cleanup };
}

/**
 * Opens the WASM schema engine against `url` (a SQLite `file:` URL or a PostgreSQL URL) and runs `fn`.
 * For PostgreSQL, `url` is the main connection; shadow databases are created next to it.
 * @template T
 * @param {{ provider: Provider; url: string; schema: string }} options
 * @param {(engine: any) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withSchemaEngine({ provider, url, schema }, fn) {
  const bg = await loadWasm();
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const { factory: raw, cleanup } =
    provider === "sqlite" ? await sqliteFactory(url) : await postgresFactory(url);
  const factory = bindMigrationAwareSqlAdapterFactory(/** @type {any} */ (raw));
  const panics = /** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY;
  panics.message = "";
  const engine = await bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    (/** @type {string} */ line) => {
      if (process.env.STROP_SCHEMA_ENGINE_DEBUG) console.error(line);
    },
    factory,
  );
  try {
    return await fn(engine);
  } catch (error) {
    if (panics.message) throw new Error(`schema engine panic: ${panics.message}`, { cause: error });
    throw explainExternalErrors(error, factory.errorRegistry);
  } finally {
    engine.free();
    await cleanup();
  }
}

/**
 * The SQL that takes a database built from `migrationsDir` to `schema` ("" when there is no drift).
 * @param {{ provider: Provider; url: string; schema: string; migrationsDir: string }} options
 */
export async function diffMigrationsToSchema({ provider, url, schema, migrationsDir }) {
  return withSchemaEngine({ provider, url, schema }, async (engine) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...readMigrationsList(migrationsDir) },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return normalizeScript(result.stdout);
  });
}

/**
 * The SQL that takes the live database at `url` to `schema` ("" when there is no drift).
 * @param {{ provider: Provider; url: string; schema: string }} options
 */
export async function diffDatabaseToSchema({ provider, url, schema }) {
  return withSchemaEngine({ provider, url, schema }, async (engine) => {
    const result = await engine.diff({
      // Prisma 7 dropped the "url" target: "schemaDatasource" means "the database the adapter opened".
      from: {
        tag: "schemaDatasource",
        files: [{ path: "schema.prisma", content: schema }],
        configDir: process.cwd(),
      },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return normalizeScript(result.stdout);
  });
}

/**
 * The engine's view of a database's migration history against a migrations folder.
 * @param {{ provider: Provider; url: string; schema: string; migrationsDir: string }} options
 */
export async function diagnoseMigrationHistory({ provider, url, schema, migrationsDir }) {
  return withSchemaEngine({ provider, url, schema }, (engine) =>
    engine.diagnoseMigrationHistory({
      migrationsList: readMigrationsList(migrationsDir),
      optInToShadowDatabase: false,
      filters: NO_FILTER,
    }),
  );
}

/**
 * The engine reports driver errors as "External error id#N": append the driver's own message.
 * @param {unknown} error
 * @param {{ consumeError(id: number): { error: unknown } | undefined }} registry
 */
function explainExternalErrors(error, registry) {
  if (!(error instanceof Error)) return error;
  const details = [...error.message.matchAll(/External error id#(\d+)/g)].map((m) => {
    const entry = registry.consumeError(Number(m[1]));
    const e = /** @type {any} */ (entry?.error);
    return `id#${m[1]}: ${e?.message ?? JSON.stringify(e?.cause ?? e)}`;
  });
  if (details.length > 0) error.message += `\nDriver errors:\n${details.join("\n")}`;
  return error;
}

/** The engine prints "-- This is an empty migration." for an empty diff. @param {string | null} s */
function normalizeScript(s) {
  const text = (s ?? "").trim();
  return text === "" || /^-- This is an empty migration\.?$/.test(text) ? "" : `${text}\n`;
}
