// Test support: fresh, throwaway databases of both kinds. SQLite: a file in a temp directory.
// PostgreSQL: a uniquely named database on STROP_TEST_PG_URL (default: the local server, user postgres),
// dropped afterwards. Used by lib/db/*.test.ts only.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DbProvider } from "./migrate";

export const PG_ADMIN_URL = process.env.STROP_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  provider: DbProvider;
  url: string;
  /** Deletes the database (the caller disconnects its clients first). */
  drop(): Promise<void>;
}

export const TEST_PROVIDERS: DbProvider[] = ["sqlite", "postgresql"];

async function pgAdmin(sql: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  const id = randomUUID().replaceAll("-", "").slice(0, 16);
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strop-db-test-"));
    return {
      provider,
      url: `file:${path.join(dir, "test.db")}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `strop_test_${id}`;
  await pgAdmin(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    provider,
    url: url.toString(),
    drop: () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
