// Test support: a fresh, migrated database for the tests of one describe block (or for each test),
// created and dropped by vitest hooks that the fixture registers.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type Db, openDb } from "../client";
import type { DbProvider } from "../migrate";
import { createTestDatabase, type TestDatabase } from "../test-databases";

export interface TestDatabaseFixture {
  /** The database: its url and provider. */
  readonly database: TestDatabase;
  /** A client of it, opened with its migrations applied (openDb). */
  readonly db: Db;
}

/**
 * Registers the hooks of a fresh database of `provider`: created and opened before each test
 * (scope "each") or before the block's first test ("all"), disconnected and dropped after. Read the
 * fields inside tests and hooks, not while the block is collected. Hooks registered after this call
 * run after its set-up and before its clean-up (vitest runs after-hooks in reverse), so they may seed
 * the database and stop whatever still uses it.
 */
export function useTestDatabase(
  provider: DbProvider,
  options: { scope: "each" | "all" },
): TestDatabaseFixture {
  const state: { database?: TestDatabase; db?: Db } = {};
  const [before, after] = options.scope === "each" ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    state.database = await createTestDatabase(provider);
    state.db = await openDb(state.database.url);
  });
  after(async () => {
    // Whatever the set-up got to; cleared first, so that a later set-up that fails does not clean up
    // this one again.
    const { db, database } = state;
    state.db = undefined;
    state.database = undefined;
    try {
      await db?.$disconnect();
    } finally {
      await database?.drop();
    }
  });
  const read = <K extends keyof typeof state>(key: K): NonNullable<(typeof state)[K]> => {
    const value = state[key];
    if (!value) throw new Error(`useTestDatabase: ${key} is read outside a test, or its set-up failed`);
    return value;
  };
  return {
    get database() {
      return read("database");
    },
    get db() {
      return read("db");
    },
  };
}
