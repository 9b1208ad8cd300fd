// Writing a restore's rows: one multi-row INSERT per chunk (../raw-insert.ts; createMany's plan, compiled
// anew per page, was most of a restore's time). JSON columns go in as JSON text. Which columns hold JSON
// is read from the database itself, so a new column needs nothing here.
import type { Tx } from "../client";
import type { DbProvider } from "../migrate";
import { insertValues } from "../raw-insert";

type Row = Record<string, unknown>;

interface Column {
  json: boolean;
  notNull: boolean;
}

/** A table's columns, by name. */
export type TableColumns = Map<string, Column>;

/** Bound parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const MAX_PARAMETERS = 30_000;

/** The columns of `table` in the connected database: which hold JSON, which refuse NULL. */
export async function tableColumns(tx: Tx, provider: DbProvider, table: string): Promise<TableColumns> {
  const rows =
    provider === "sqlite"
      ? await tx.$queryRaw<{ name: string; type: string; notNull: number | bigint }[]>`
          SELECT name, type, "notnull" AS "notNull" FROM pragma_table_info(${table})`
      : await tx.$queryRaw<{ name: string; type: string; notNull: boolean }[]>`
          SELECT column_name AS name, data_type AS type, is_nullable = 'NO' AS "notNull"
          FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`;
  return new Map(
    rows.map((r) => [r.name, { json: /^jsonb?$/i.test(r.type), notNull: Boolean(Number(r.notNull)) }]),
  );
}

/**
 * A JSON column's value as JSON text. Prisma reads JSON `null` and SQL NULL both as null: NULL where the
 * column takes it, JSON `null` where it does not.
 */
function parameter(value: unknown, column: Column): unknown {
  if (!column.json) return value ?? null;
  if (value === null || value === undefined) return column.notNull ? "null" : null;
  return JSON.stringify(value);
}

/** Inserts `rows` (all with the same fields, as Prisma read them) into `table`. */
export async function insertRows(tx: Tx, table: string, columns: TableColumns, rows: Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const names = Object.keys(first);
  const unknown = names.find((name) => !columns.has(name));
  if (unknown)
    throw new Error(`the archive's ${table} rows have a field ${unknown} this database has no column for`);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / names.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const tuples = rows
      .slice(i, i + perStatement)
      .map((row) => names.map((n) => parameter(row[n], columns.get(n) as Column)));
    await insertValues(tx, table, names, tuples);
  }
}
