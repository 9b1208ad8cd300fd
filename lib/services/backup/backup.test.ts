// Backup and restore of a whole instance, as an operator runs them: a populated instance (users,
// projects, keys, an encrypted credential, the CLI's optimization run with its dataset and results, a
// batch written by the real `strop batch` process, audit entries) is backed up and restored into empty
// SQLite and PostgreSQL databases and compared table by table.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectAccess } from "@/lib/auth/access";
import { type Db, openDb } from "@/lib/db";
import { BACKUP_TABLES, delegateOf, SEEDED_ROWS } from "@/lib/db/backup/tables";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { setProjectCredential } from "@/lib/services/credentials/manage";
import { createBackup, restoreBackup } from "./index";

const root = path.resolve(import.meta.dirname, "../../..");
const work = fs.mkdtempSync(path.join(tmpdir(), "strop-backup-"));
const databases: TestDatabase[] = [];

function strop(args: string[], url: string): ChildProcess {
  return spawn(process.execPath, [path.join(root, "bin/strop.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(child: ChildProcess): Promise<number | null> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(code) : reject(new Error(`strop exited ${code}: ${stderr}`)),
    );
  });
}

async function emptyDatabase(provider: "sqlite" | "postgresql"): Promise<TestDatabase> {
  const database = await createTestDatabase(provider);
  databases.push(database);
  return database;
}

/** Every backed-up table's rows, in key order. */
async function dump(url: string, withSecrets: boolean): Promise<Record<string, unknown[]>> {
  const db = await openDb(url, { migrate: false });
  try {
    const tables: Record<string, unknown[]> = {};
    for (const table of BACKUP_TABLES) {
      if (table.secret && !withSecrets) continue;
      tables[table.model] = await delegateOf(db, table.model).findMany({
        orderBy: table.key.map((k) => ({ [k]: "asc" })),
      });
    }
    return tables;
  } finally {
    await db.$disconnect();
  }
}

/** Every backed-up table's rows as SQLite stores them (dates and JSON as their text): the format too. */
function storedRows(url: string): Record<string, unknown[]> {
  const file = new Database(url.replace(/^file:/, ""), { readonly: true });
  try {
    const tables: Record<string, unknown[]> = {};
    for (const table of BACKUP_TABLES) {
      if (table.secret) continue;
      const order = table.key.map((k) => `"${k}"`).join(", ");
      // The migrations' own rows carry their SQL default's date text in a fresh database.
      const seeded = new Set(SEEDED_ROWS[table.model] ?? []);
      tables[table.model] = file
        .prepare(`SELECT * FROM "${table.model}" ORDER BY ${order}`)
        .all()
        .filter((row) => !seeded.has((row as { id?: string }).id ?? ""));
    }
    return tables;
  } finally {
    file.close();
  }
}

let world: ApiWorld;
let sourceUrl: string;
let taskDir: string;

beforeAll(async () => {
  world = await createApiWorld("sqlite");
  sourceUrl = process.env.DATABASE_URL as string;
  const owner = world.users.owner;
  const access = await projectAccess(world.db, owner.principal, "alpha");
  await setProjectCredential(
    world.db,
    access,
    "openai",
    { apiKey: "sk-backup-test-0123456789" },
    {
      type: "user",
      id: owner.id,
      label: owner.email,
    },
  );
  // The CLI's optimization of the bundled example: a task, versions, a dataset, a run with results.
  await finished(strop(["optimize", "examples/sentiment/task.yaml", "--quiet"], sourceUrl));
  // A task file whose model is paced (50 calls/s), so a batch over its 240 rows writes for seconds.
  taskDir = path.join(work, "task");
  fs.mkdirSync(taskDir);
  fs.copyFileSync(path.join(root, "examples/sentiment/reviews.csv"), path.join(taskDir, "reviews.csv"));
  const task = fs
    .readFileSync(path.join(root, "examples/sentiment/task.yaml"), "utf8")
    .replace(
      "    id: sim:default\n    concurrency: 16\n  optimizer:",
      "    id: sim:default\n    concurrency: 4\n    rateLimit: { requestsPerMinute: 3000 }\n  optimizer:",
    );
  expect(task).toContain("requestsPerMinute");
  fs.writeFileSync(path.join(taskDir, "task.yaml"), task);
}, 120_000);

afterAll(async () => {
  await world?.close();
  for (const database of databases) await database.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("strop backup / restore", () => {
  it("a backup taken while a batch is writing holds only committed states", async () => {
    const batch = strop(
      [
        "batch",
        path.join(taskDir, "task.yaml"),
        "--input",
        path.join(taskDir, "reviews.csv"),
        "--chunk-size",
        "5",
        "--project",
        "default",
      ],
      sourceUrl,
    );
    let exited = false;
    const done = finished(batch).finally(() => {
      exited = true;
    });
    done.catch(() => {}); // awaited below; the loop must not see an unhandled rejection first
    let midway = 0;
    // Backups until the batch process has exited (at least 4): however long it takes to start under
    // load, some of them fall while it writes.
    for (let i = 0; i < 4 || (!exited && i < 200); i++) {
      const file = path.join(work, `during-${i}.backup.gz`);
      await createBackup({ out: file, url: sourceUrl });
      const target = await emptyDatabase("sqlite");
      await restoreBackup({ file, url: target.url });
      const db = await openDb(target.url, { migrate: false });
      try {
        for (const job of await db.batchJob.findMany()) {
          const doneRows = await db.batchRow.count({ where: { batchId: job.id, done: true } });
          // The job's counter and its rows are written in one transaction: a snapshot sees both or neither.
          expect(doneRows).toBe(job.doneRows);
          if (job.doneRows > 0 && job.doneRows < job.totalRows) midway++;
        }
      } finally {
        await db.$disconnect();
      }
    }
    await done;
    // At least one backup fell in the middle of the batch, or the test proved nothing.
    expect(midway).toBeGreaterThan(0);
  }, 120_000);

  it("restores into empty SQLite and PostgreSQL databases equal table by table, both ways", async () => {
    const file = path.join(work, "full.backup.gz");
    const summary = await createBackup({ out: file, url: sourceUrl, secretsPassphrase: "correct horse" });
    for (const model of [
      "User",
      "ApiKey",
      "ProviderCredential",
      "ExampleResult",
      "BatchRow",
      "AuditLog",
      "InstanceSecret",
    ])
      expect(summary.tables[model]?.rows ?? (model === "InstanceSecret" ? 1 : 0), model).toBeGreaterThan(0);
    const source = await dump(sourceUrl, true);

    const pg = await emptyDatabase("postgresql");
    expect(await restoreBackup({ file, url: pg.url, secretsPassphrase: "correct horse" })).toMatchObject({
      secrets: "restored",
    });
    expect(await dump(pg.url, true)).toEqual(source);

    // PostgreSQL back to SQLite: the move works in both directions.
    const fromPg = path.join(work, "from-pg.backup.gz");
    await createBackup({ out: fromPg, url: pg.url });
    const sqlite = await emptyDatabase("sqlite");
    expect(await restoreBackup({ file: fromPg, url: sqlite.url })).toMatchObject({
      secrets: "not in the archive",
    });
    expect(await dump(sqlite.url, false)).toEqual(await dump(sourceUrl, false));
    // SQLite to SQLite, stored alike and not only read back alike: rows are written in raw SQL, and their
    // dates and JSON must keep the text Prisma writes. (Through PostgreSQL, JSON objects come back with
    // their keys in jsonb's order, which reading them does not see.)
    const again = await emptyDatabase("sqlite");
    await restoreBackup({ file, url: again.url });
    expect(storedRows(again.url)).toEqual(storedRows(sourceUrl));
    // Credentials stay encrypted in the archive: the key never appears in plain text.
    expect(zlib.gunzipSync(fs.readFileSync(file)).toString()).not.toContain("sk-backup-test");
  }, 120_000);

  it("refuses a non-empty database, a damaged archive and a wrong passphrase, writing nothing", async () => {
    const file = path.join(work, "refusals.backup.gz");
    await createBackup({ out: file, url: sourceUrl, secretsPassphrase: "right" });
    await expect(restoreBackup({ file, url: sourceUrl })).rejects.toThrow(/not empty/);

    const target = await emptyDatabase("sqlite");
    // A changed value inside a valid gzip stream: only the checksum can tell.
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString();
    const tampered = path.join(work, "tampered.backup.gz");
    fs.writeFileSync(tampered, zlib.gzipSync(text.replace("owner@example.com", "owner@example.org")));
    await expect(restoreBackup({ file: tampered, url: target.url })).rejects.toThrow(/checksum/);
    // A flipped byte in the compressed stream, and a file cut short.
    const bytes = fs.readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0xff;
    const corrupt = path.join(work, "corrupt.backup.gz");
    fs.writeFileSync(corrupt, bytes);
    await expect(restoreBackup({ file: corrupt, url: target.url })).rejects.toThrow(/damaged|cannot be read/);
    const cut = path.join(work, "cut.backup.gz");
    fs.writeFileSync(cut, zlib.gzipSync(text.slice(0, text.lastIndexOf('{"kind":"manifest"'))));
    await expect(restoreBackup({ file: cut, url: target.url })).rejects.toThrow(/incomplete/);
    await expect(restoreBackup({ file, url: target.url, secretsPassphrase: "wrong" })).rejects.toThrow(
      /wrong passphrase/,
    );
    const db: Db = await openDb(target.url, { migrate: false });
    try {
      expect(await db.user.count()).toBe(0);
      expect(await db.auditLog.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);

  it("lists every model of the schema: backed up, or left out on purpose", async () => {
    const { Prisma } = await import("@/lib/db/generated/sqlite/client");
    const { NOT_BACKED_UP } = await import("@/lib/db/backup/tables");
    const listed = [...BACKUP_TABLES.map((t) => t.model), ...NOT_BACKED_UP].sort();
    expect(listed).toEqual(Object.values(Prisma.ModelName).sort());
  });
});
