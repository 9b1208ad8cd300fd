// lib/db: the only place that imports Prisma. A client (`getDb`, `openDb`) and repositories: plain async
// functions taking the client first, each keeping its invariant in one transaction.
export * from "./checkpoints";
export {
  closeDb,
  createClient,
  type Db,
  databaseProvider,
  databaseUrl,
  defaultDatabaseUrl,
  getDb,
  openDb,
  type Tx,
} from "./client";
export * from "./datasets";
export { type DbProvider, type MigrateResult, MigrationError, migrate, migrationsRoot } from "./migrate";
export * from "./projects";
export * from "./prompt-versions";
export * from "./runs";
export * from "./settings";
export * from "./tasks";
