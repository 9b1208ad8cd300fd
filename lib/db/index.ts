// lib/db: the only place that imports Prisma. A client (`getDb`, `openDb`) and repositories: plain async
// functions taking the client first, each keeping its invariant in one transaction.
export * from "./api-keys";
export * from "./audit";
export * from "./backup/snapshot";
export * from "./batches";
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
export * from "./experiments";
export * from "./feedback-alerts";
export * from "./generations";
export * from "./instance-secrets";
export * from "./job-resume";
export * from "./latency";
export * from "./leases";
export * from "./memberships";
export {
  type DbProvider,
  type MigrateResult,
  MigrationError,
  migrate,
  migrationsRoot,
  providerOf,
  redact,
} from "./migrate";
export * from "./overview";
export * from "./pagination";
export * from "./projects";
export * from "./prompts";
export * from "./provider-credentials";
export * from "./runs";
export * from "./serving";
export * from "./settings";
export * from "./templates";
export * from "./transient";
export * from "./users";
