// The secret that encrypts session tokens: NEXTAUTH_SECRET (or AUTH_SECRET, or a file named by
// NEXTAUTH_SECRET_FILE / AUTH_SECRET_FILE) when set, otherwise one generated on first use and stored in
// the database, so a fresh install works without configuration and every instance on the same database
// agrees. Production should configure it: then it is not in database backups (the app warns at start).
import { randomBytes } from "node:crypto";
import { type Db, getOrCreateInstanceSecret } from "@/lib/db";
import { configuredEncryptionKey, configuredSecret } from "./credential-encryption";

const cache = new WeakMap<Db, Promise<string>>();

type Env = Record<string, string | undefined>;

/** The session secret the operator configured, if any. */
export function configuredSessionSecret(env: Env = process.env): string | undefined {
  return (configuredSecret("NEXTAUTH_SECRET", env) ?? configuredSecret("AUTH_SECRET", env))?.value;
}

export function authSecret(db: Db): Promise<string> {
  let fromEnv: string | undefined;
  try {
    fromEnv = configuredSessionSecret();
  } catch (error) {
    return Promise.reject(error);
  }
  if (fromEnv) return Promise.resolve(fromEnv);
  let secret = cache.get(db);
  if (!secret) {
    secret = getOrCreateInstanceSecret(db, "nextauth.secret", () => randomBytes(32).toString("base64url"));
    secret.catch(() => cache.delete(db));
    cache.set(db, secret);
  }
  return secret;
}

/**
 * The instance secrets this process takes from the database because the operator configured none: fine
 * on a laptop, not in production (anyone with a database backup holds them). For the start-up warning.
 */
export function secretsFromDatabase(env: Env = process.env): string[] {
  const out: string[] = [];
  if (!configuredSessionSecret(env))
    out.push("the session secret (set NEXTAUTH_SECRET or NEXTAUTH_SECRET_FILE)");
  if (!configuredEncryptionKey(env))
    out.push("the credential encryption key (set STROP_ENCRYPTION_KEY or STROP_ENCRYPTION_KEY_FILE)");
  return out;
}
