// The secret that encrypts session tokens: NEXTAUTH_SECRET (or AUTH_SECRET) when set, otherwise one
// generated on first use and stored in the database, so a fresh install works without configuration
// and every instance on the same database agrees. Set NEXTAUTH_SECRET in production to keep it out of
// backups.
import { randomBytes } from "node:crypto";
import { type Db, getOrCreateInstanceSecret } from "@/lib/db";

const cache = new WeakMap<Db, Promise<string>>();

export function authSecret(db: Db): Promise<string> {
  const fromEnv = process.env.NEXTAUTH_SECRET || process.env.AUTH_SECRET;
  if (fromEnv) return Promise.resolve(fromEnv);
  let secret = cache.get(db);
  if (!secret) {
    secret = getOrCreateInstanceSecret(db, "nextauth.secret", () => randomBytes(32).toString("base64url"));
    secret.catch(() => cache.delete(db));
    cache.set(db, secret);
  }
  return secret;
}
