// API key material: `strop_<8 prefix chars>_<43 secret chars>` (32 random bytes, base64url). The prefix
// ("strop_ab12cd34") is stored and shown; the whole key is stored only as its sha256.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const KEY_PATTERN = /^(strop_[a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  /** The whole key: shown once, never stored. */
  secret: string;
  prefix: string;
  secretHash: string;
}

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function generateApiKey(): GeneratedApiKey {
  const bytes = randomBytes(8);
  let id = "";
  for (const byte of bytes) id += PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length];
  const prefix = `strop_${id}`;
  const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, secretHash: hashApiKey(secret) };
}

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefix(secret: string): string | null {
  return KEY_PATTERN.exec(secret)?.[1] ?? null;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(secret), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
