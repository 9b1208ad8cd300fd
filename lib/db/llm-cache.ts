// The LLM response cache table (the gateway's database cache, lib/llm/gateway/db-cache.ts). Keys are
// sha256 hex digests, values JSON text. Expired rows are never returned. Reads and writes take many
// keys at once (the gateway batches the lookups and writes of concurrent calls) and are plain SQL:
// a cache lookup sits in front of every LLM call, and through the query builder it costs ~6x the CPU.
// Prisma.sql renders the placeholders (and dates) of the connected database.
import type { Db } from "./client";
import { Prisma } from "./generated/sqlite/client";

/** Enough keys per statement to stay far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

export async function getLlmCacheEntries(
  db: Db,
  keys: readonly string[],
  now: Date,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db.$queryRaw<{ key: string; value: string; expiresAt: Date | string }[]>`
      SELECT "key", "value", "expiresAt" FROM "LlmCacheEntry"
      WHERE "key" IN (${Prisma.join(keys.slice(i, i + CHUNK))})`;
    for (const row of rows) if (new Date(row.expiresAt) > now) found.set(row.key, row.value);
  }
  return found;
}

export interface LlmCacheEntryInput {
  key: string;
  value: string;
  expiresAt: Date;
}

/** Inserts or replaces the entries (one multi-row statement per chunk; a key given twice: the last wins). */
export async function putLlmCacheEntries(db: Db, entries: readonly LlmCacheEntryInput[]): Promise<void> {
  const latest = [...new Map(entries.map((e) => [e.key, e])).values()];
  const now = new Date();
  for (let i = 0; i < latest.length; i += CHUNK) {
    const rows = latest
      .slice(i, i + CHUNK)
      .map(({ key, value, expiresAt }) => Prisma.sql`(${key}, ${value}, ${expiresAt}, ${now})`);
    await db.$executeRaw`
      INSERT INTO "LlmCacheEntry" ("key", "value", "expiresAt", "createdAt") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("key") DO UPDATE
      SET "value" = excluded."value", "expiresAt" = excluded."expiresAt", "createdAt" = excluded."createdAt"`;
  }
}

export async function deleteLlmCacheEntry(db: Db, key: string): Promise<void> {
  await db.llmCacheEntry.deleteMany({ where: { key } });
}

/** Deletes expired entries; returns how many. */
export async function deleteExpiredLlmCacheEntries(db: Db, now: Date): Promise<number> {
  const { count } = await db.llmCacheEntry.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

/** The gateway's repository shape (LlmCacheRepository in lib/llm/gateway/db-cache.ts), bound to `db`. */
export function llmCacheRepository(db: Db) {
  return {
    getMany: (keys: readonly string[], now: Date) => getLlmCacheEntries(db, keys, now),
    putMany: (entries: readonly LlmCacheEntryInput[]) => putLlmCacheEntries(db, entries),
    delete: (key: string) => deleteLlmCacheEntry(db, key),
    sweep: (now: Date) => deleteExpiredLlmCacheEntries(db, now),
  };
}
