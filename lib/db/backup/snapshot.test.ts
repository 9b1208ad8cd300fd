// The snapshot a backup reads is one moment of the database: a write committed by another connection
// while the backup is between two tables is in neither of them. Made deterministic by committing the
// write from the sink, after the first table was read and before the second is.
import { describe, expect, it } from "vitest";
import { type Db, openDb } from "../client";
import { TEST_PROVIDERS } from "../test-databases";
import { useTestDatabase } from "../testing/use-test-database";
import { type Row, readSnapshot } from "./snapshot";

/** One committed state: an audit entry and a cache entry always come together. */
async function writePair(db: Db, n: number): Promise<void> {
  await db.$transaction([
    db.auditLog.create({ data: { action: "test.pair", actorType: "system", actorLabel: `pair ${n}` } }),
    db.llmCacheEntry.create({
      data: { key: `pair-${n}`, value: "{}", expiresAt: new Date(Date.now() + 60_000) },
    }),
  ]);
}

describe.each(TEST_PROVIDERS)("backup snapshot (%s)", (provider) => {
  const fixture = useTestDatabase(provider, { scope: "each" });

  it("does not see a write committed between two of its tables", async () => {
    const reader = fixture.db;
    const writer = await openDb(fixture.database.url, { migrate: false });
    try {
      await writePair(writer, 1);
      const seen: Record<string, Row[]> = {};
      await readSnapshot(
        reader,
        fixture.database.url,
        {
          begin: async () => {},
          table: async (table) => {
            // AuditLog was read already; the cache table is next.
            if (table.model === "LlmCacheEntry") await writePair(writer, 2);
          },
          rows: async (table, rows) => {
            seen[table.model] = [...(seen[table.model] ?? []), ...rows];
          },
        },
        { includeSecrets: false },
      );
      expect(seen.AuditLog?.length).toBe(1);
      expect(seen.LlmCacheEntry?.length).toBe(1);
      // The write did commit: a read after the snapshot sees both rows.
      expect(await reader.llmCacheEntry.count()).toBe(2);
    } finally {
      await writer.$disconnect();
    }
  });
});
