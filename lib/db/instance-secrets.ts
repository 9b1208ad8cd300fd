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
