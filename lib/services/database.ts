// The database handle for callers above the services (the CLI, server pages): they open and close it
// and apply migrations here, and reach the data only through the services' use cases — never through
// lib/db's repositories (biome.json forbids importing lib/db from lib/cli, app and components).
import { databaseUrl, migrate } from "@/lib/db";

export { closeDb, type Db, databaseUrl, getDb } from "@/lib/db";

/** Applies pending migrations to the database (`strop db migrate`); default: the configured one. */
export function migrateDatabase(url: string = databaseUrl()) {
  return migrate(url);
}
