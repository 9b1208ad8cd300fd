// Multi-row INSERTs in raw SQL, for the writes that carry many rows at once (results, dataset examples,
// batch rows and issues, feedback, a restore's pages). Prisma compiles the plan of every createMany
// anew (it caches none): 14–33 ms per 64 results, 360–550 ms per 1,000 restored rows, measured here.
// Values are bound parameters, rendered in the connected database's placeholders (? for SQLite, $n for
// PostgreSQL); table and column names come from the code, or, for a restore, are checked against the
// database's own columns first.
import type { Db, Tx } from "./client";
import { Prisma } from "./generated/sqlite/client";

/**
 * `INSERT INTO "table" (columns) VALUES (…), (…) [onConflict]` with one tuple per row, in the order of
 * `columns`. Nothing is sent for no rows. Returns the rows the database reports written.
 */
export async function insertValues(
  db: Db | Tx,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  onConflict: Prisma.Sql = Prisma.empty,
): Promise<number> {
  if (rows.length === 0) return 0;
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `);
  const values = rows.map((row) => Prisma.sql`(${Prisma.join(row)})`);
  return db.$executeRaw`${head}${Prisma.join(values)} ${onConflict}`;
}
