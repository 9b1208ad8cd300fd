// Migrations on real SQLite and PostgreSQL: applying them (our runtime migrator) yields exactly the
// schema of prisma/schema.prisma, Prisma's own engine accepts the recorded history, and editing
// schema.prisma without adding a migration fails here.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iterationSummary, storedRunConfig } from "@/lib/validation/testing/stored-fixtures";
import {
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  readMigrationsList,
  withSchemaEngine,
} from "../../scripts/prisma-schema-engine.mjs";
import { migrationsDir, POSTGRES_SCHEMA, readSchemas } from "../../scripts/prisma-schemas.mjs";
import {
  createRun,
  ensureProject,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  openDb,
  upsertIteration,
  upsertTask,
} from "./index";
import { MigrationError, migrate, readMigrations } from "./migrate";
import { createTestDatabase, PG_ADMIN_URL, TEST_PROVIDERS, type TestDatabase } from "./test-databases";

const schemas = readSchemas();
const NO_FILTER = { externalTables: [], externalEnums: [] };

it("prisma/postgres/schema.prisma is derived from prisma/schema.prisma (run npm run db:generate)", () => {
  expect(fs.readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(schemas.postgresql);
});

/** A scratch copy of prisma/migrations (both databases) that a test may edit. */
function copyMigrations(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "strop-migrations-"));
  fs.cpSync(path.dirname(migrationsDir("sqlite")), root, { recursive: true });
  return root;
}

async function appliedRows(t: TestDatabase): Promise<{ migration_name: string; checksum: string }[]> {
  const sql = `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY started_at`;
  if (t.provider === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(t.url.slice("file:".length), { readonly: true });
    try {
      return db.prepare(sql).all() as { migration_name: string; checksum: string }[];
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function tableExists(t: TestDatabase, table: string): Promise<boolean> {
  if (t.provider === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(t.url.slice("file:".length), { readonly: true });
    try {
      return (
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined
      );
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    return (await client.query("SELECT to_regclass($1) AS t", [`"${table}"`])).rows[0].t !== null;
  } finally {
    await client.end();
  }
}

describe.each(TEST_PROVIDERS)("migrations on %s", (provider) => {
  const schema = schemas[provider];
  const names = readMigrations(provider).map((m) => m.name);
  const databases: TestDatabase[] = [];
  const scratch: string[] = [];
  let migrated: TestDatabase;

  const freshDatabase = async () => {
    const t = await createTestDatabase(provider);
    databases.push(t);
    return t;
  };
  const scratchMigrations = () => {
    const root = copyMigrations();
    scratch.push(root);
    return root;
  };

  beforeAll(async () => {
    migrated = await freshDatabase();
  });

  afterAll(async () => {
    for (const t of databases) await t.drop();
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has at least the init migration", () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names[0]).toMatch(/^\d{14}_init$/);
  });

  it("the committed migrations produce exactly schema.prisma (add a migration when this fails)", async () => {
    const pending = await diffMigrationsToSchema({
      provider,
      // The engine opens a "main" database even for this diff: a scratch file, or the admin database.
      url: provider === "sqlite" ? `file:${path.join(scratchMigrations(), "scratch.db")}` : PG_ADMIN_URL,
      schema,
      migrationsDir: migrationsDir(provider),
    });
    expect(
      pending,
      "schema.prisma changed without a migration: node scripts/db-migrations.mjs create <name>",
    ).toBe("");
  });

  it("applies every migration to a fresh database, then nothing on the next call", async () => {
    const first = await migrate(migrated.url);
    expect(first.applied).toEqual(names);
    const second = await migrate(migrated.url);
    expect(second).toMatchObject({ applied: [], alreadyApplied: names, notInFolder: [] });
    const rows = await appliedRows(migrated);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.map((r) => r.checksum)).toEqual(readMigrations(provider).map((m) => m.checksum));
  });

  it("leaves a database identical to schema.prisma that Prisma's engine accepts as up to date", async () => {
    // The comparison is not vacuous: an empty database differs.
    const empty = await freshDatabase();
    expect(await diffDatabaseToSchema({ provider, url: empty.url, schema })).toMatch(
      /CREATE TABLE "OptimizationRun"/,
    );
    expect(await diffDatabaseToSchema({ provider, url: migrated.url, schema })).toBe("");
    await withSchemaEngine({ provider, url: migrated.url, schema }, async (engine) => {
      const migrationsList = readMigrationsList(migrationsDir(provider));
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: NO_FILTER,
      });
      expect(diagnosis).toMatchObject({ history: null, editedMigrationNames: [], failedMigrationNames: [] });
      // What `prisma migrate deploy` does: nothing left to apply.
      const deploy = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      expect(deploy.appliedMigrationNames).toEqual([]);
    });
  });

  it("refuses to run when an applied migration was edited", async () => {
    const t = await freshDatabase();
    const root = scratchMigrations();
    await migrate(t.url, { migrationsDir: root });
    const file = path.join(root, path.basename(migrationsDir(provider)), names[0]!, "migration.sql");
    fs.appendFileSync(file, "\n-- edited after the fact\n");
    await expect(migrate(t.url, { migrationsDir: root })).rejects.toThrow(MigrationError);
    await expect(migrate(t.url, { migrationsDir: root })).rejects.toThrow(
      new RegExp(`migration ${names[0]} was modified after it was applied`),
    );
  });

  it("keeps the rows that reference a table a later migration redefines", async () => {
    // On SQLite, adding a column with a default redefines the table (CREATE new, copy, DROP, RENAME):
    // with foreign keys enforced, the DROP would cascade-delete the run's iterations.
    const t = await freshDatabase();
    const db = await openDb(t.url);
    try {
      const project = await ensureProject(db);
      const task = await upsertTask(db, project.id, { name: "t", description: "" });
      const { version } = await findOrCreatePromptVersion(
        db,
        task.id,
        { systemPrompt: "", outputPrompt: "{{x}}", demos: [], params: {} },
        { source: "file" },
      );
      const { datasetVersion } = await findOrCreateDatasetVersion(db, project.id, {
        name: "d",
        sourceName: "d",
        expectedColumn: "y",
        columns: ["x", "y"],
        contentHash: "d",
        examples: [{ key: "1", rowNumber: 1, input: { x: "a" }, expected: "b" }],
      });
      const run = await createRun(db, {
        projectId: project.id,
        taskId: task.id,
        kind: "eval",
        baselineVersionId: version.id,
        datasetVersionId: datasetVersion.id,
        config: storedRunConfig(),
        seed: 1,
      });
      await upsertIteration(db, run.id, {
        index: 1,
        incumbentScore: 1,
        accepted: false,
        acceptedCandidate: null,
        summary: iterationSummary(),
      });
    } finally {
      await db.$disconnect();
    }
    const edited = schema.replace(/(\n\s+seed\s+Int\n)/, "$1  priority Int @default(0)\n");
    expect(edited).not.toBe(schema);
    const root = scratchMigrations();
    const dir = path.join(root, path.basename(migrationsDir(provider)));
    const sql = await diffMigrationsToSchema({
      provider,
      url: provider === "sqlite" ? `file:${path.join(root, "scratch.db")}` : PG_ADMIN_URL,
      schema: edited,
      migrationsDir: dir,
    });
    if (provider === "sqlite") expect(sql).toMatch(/DROP TABLE "OptimizationRun"/);
    fs.mkdirSync(path.join(dir, "99990101000000_priority"));
    fs.writeFileSync(path.join(dir, "99990101000000_priority", "migration.sql"), sql);
    expect((await migrate(t.url, { migrationsDir: root })).applied).toEqual(["99990101000000_priority"]);
    const after = await openDb(t.url, { migrate: false });
    try {
      expect(await after.iteration.count()).toBe(1);
      expect(await after.optimizationRun.count()).toBe(1);
    } finally {
      await after.$disconnect();
    }
  });

  it("rolls a failing migration back entirely and applies it once fixed", async () => {
    const t = await freshDatabase();
    const root = scratchMigrations();
    const dir = path.join(root, path.basename(migrationsDir(provider)), "99990101000000_broken");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "migration.sql"),
      'CREATE TABLE "Extra" ("id" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO "NoSuchTable" VALUES (1);\n',
    );
    await expect(migrate(t.url, { migrationsDir: root })).rejects.toThrow(
      /migration 99990101000000_broken failed/,
    );
    expect(await tableExists(t, "Extra")).toBe(false);
    expect((await appliedRows(t)).map((r) => r.migration_name)).toEqual(names);

    fs.writeFileSync(
      path.join(dir, "migration.sql"),
      'CREATE TABLE "Extra" ("id" INTEGER NOT NULL PRIMARY KEY);\n',
    );
    expect((await migrate(t.url, { migrationsDir: root })).applied).toEqual(["99990101000000_broken"]);
    expect(await tableExists(t, "Extra")).toBe(true);
  });
});
