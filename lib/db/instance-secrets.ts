// Generated secrets of the installation, shared by every app instance on the database.
import type { Db } from "./client";
import { isUniqueViolation } from "./util";

/** The secret `name`, generated with `generate` and stored on first use (the first writer wins). */
export async function getOrCreateInstanceSecret(
  db: Db,
  name: string,
  generate: () => string,
): Promise<string> {
  const existing = await db.instanceSecret.findUnique({ where: { name } });
  if (existing) return existing.value;
  try {
    return (await db.instanceSecret.create({ data: { name, value: generate() } })).value;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return (await db.instanceSecret.findUniqueOrThrow({ where: { name } })).value;
  }
}

/** The stored secret `name`, or undefined. */
export async function getInstanceSecret(db: Db, name: string): Promise<string | undefined> {
  return (await db.instanceSecret.findUnique({ where: { name } }))?.value;
}

/** Names of the secrets this database holds (never their values): for the start-up warning. */
export async function listInstanceSecretNames(db: Db): Promise<string[]> {
  return (await db.instanceSecret.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map(
    (row) => row.name,
  );
}

/** Removes the stored secret `name` (after the operator moved it to the environment). */
export async function deleteInstanceSecret(db: Db, name: string): Promise<boolean> {
  const { count } = await db.instanceSecret.deleteMany({ where: { name } });
  return count > 0;
}
