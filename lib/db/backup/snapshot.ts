// Reading a consistent snapshot of the whole database, and writing one into an empty database.
// Reading happens in one transaction (REPEATABLE READ on PostgreSQL; on SQLite a read transaction in WAL
// mode sees one state while writers go on), so a backup taken while a batch is writing holds only
// committed states, all from the same moment. Pages are read by key, never by offset.
import type { Db } from "../client";
import { type DbProvider, providerOf } from "../migrate";
import { insertRows, type TableColumns, tableColumns } from "./insert-rows";
import { BACKUP_TABLES, type BackupTable, delegateOf, NOT_BACKED_UP, SEEDED_ROWS } from "./tables";

export type Row = Record<string, unknown>;

const PAGE_SIZE = 1000;
/** A backup of a large instance can take a while; the snapshot transaction must outlive it. */
const SNAPSHOT_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export interface SnapshotSink {
  /** First, with the migrations the database has applied (its schema version). */
  begin(migrations: string[]): Promise<void>;
  table(table: BackupTable): Promise<void>;
  rows(table: BackupTable, rows: Row[]): Promise<void>;
}

function keysetAfter(key: string[], last: Row): Row {
  // (a, b) > (x, y)  ⇔  a > x  or  (a = x and b > y)
  const clauses: Row[] = key.map((field, i) => {
    const clause: Row = {};
    for (const earlier of key.slice(0, i)) clause[earlier] = last[earlier];
    clause[field] = { gt: last[field] };
    return clause;
  });
  return clauses.length === 1 ? (clauses[0] as Row) : { OR: clauses };
}

/**
 * The snapshot transaction's options. `Db` is typed as the SQLite client (lib/db/client.ts), whose
 * transactions know only Serializable; the PostgreSQL client behind it takes RepeatableRead.
 */
function snapshotOptions(provider: DbProvider): { timeout: number; maxWait: number } {
  const options = { timeout: SNAPSHOT_TIMEOUT_MS, maxWait: 60_000 };
  return provider === "postgresql"
    ? ({ ...options, isolationLevel: "RepeatableRead" } as typeof options)
    : options;
}

export async function readSnapshot(
  db: Db,
  url: string,
  sink: SnapshotSink,
  options: { includeSecrets: boolean },
): Promise<void> {
  const provider: DbProvider = providerOf(url);
  await db.$transaction(async (tx) => {
    await sink.begin(await appliedMigrations(tx as unknown as Db));
    for (const table of BACKUP_TABLES) {
      if (table.secret && !options.includeSecrets) continue;
      await sink.table(table);
      const delegate = delegateOf(tx, table.model);
      const orderBy = table.key.map((field) => ({ [field]: "asc" }));
      let last: Row | undefined;
      for (;;) {
        const rows = await delegate.findMany({
          where: last ? keysetAfter(table.key, last) : undefined,
          orderBy,
          take: PAGE_SIZE,
        });
        if (rows.length > 0) await sink.rows(table, rows);
        if (rows.length < PAGE_SIZE) break;
        last = rows[rows.length - 1];
      }
    }
  }, snapshotOptions(provider));
}

/** Names of the migrations the database has applied, in order. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name",
  );
  return rows.map((r) => r.migration_name);
}

/** The first table holding rows, with its count, or null when the database is empty. */
export async function firstNonEmptyTable(db: Db): Promise<{ model: string; rows: number } | null> {
  for (const model of [...BACKUP_TABLES.map((t) => t.model), ...NOT_BACKED_UP]) {
    const seeded = SEEDED_ROWS[model];
    const rows = await delegateOf(db, model).count(seeded ? { where: { id: { notIn: seeded } } } : undefined);
    if (rows > 0) return { model, rows };
  }
  return null;
}

export interface RestorePage {
  model: string;
  rows: Row[];
}

/**
 * Writes the pages into the database in one transaction: all of it lands, or none of it (a check
 * that fails after the last page, `verify`, rolls everything back).
 */
export async function writeSnapshot(
  db: Db,
  url: string,
  pages: AsyncIterable<RestorePage>,
  verify: () => void,
): Promise<Record<string, number>> {
  const provider = providerOf(url);
  const counts: Record<string, number> = {};
  const columns = new Map<string, TableColumns>();
  return db.$transaction(
    async (tx) => {
      const later: { table: BackupTable; where: Row; data: Row }[] = [];
      for (const [model, ids] of Object.entries(SEEDED_ROWS))
        await delegateOf(tx, model).deleteMany({ where: { id: { in: ids } } });
      for await (const page of pages) {
        const table = BACKUP_TABLES.find((t) => t.model === page.model);
        if (!table) throw new Error(`the archive holds an unknown table ${page.model}`);
        const data = page.rows.map((row) => {
          if (!table.deferred) return row;
          const copy = { ...row };
          const deferred: Row = {};
          for (const field of table.deferred) {
            if (copy[field] !== null && copy[field] !== undefined) deferred[field] = copy[field];
            copy[field] = null;
          }
          if (Object.keys(deferred).length > 0) {
            const where = Object.fromEntries(table.key.map((k) => [k, row[k]]));
            later.push({ table, where, data: deferred });
          }
          return copy;
        });
        if (!columns.has(table.model))
          columns.set(table.model, await tableColumns(tx, provider, table.model));
        await insertRows(tx, table.model, columns.get(table.model) as TableColumns, data);
        counts[table.model] = (counts[table.model] ?? 0) + data.length;
      }
      for (const { table, where, data } of later) await delegateOf(tx, table.model).update({ where, data });
      verify();
      return counts;
    },
    { timeout: SNAPSHOT_TIMEOUT_MS, maxWait: 60_000 },
  );
}
