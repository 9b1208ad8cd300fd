// Encryption at rest of provider credentials: AES-256-GCM with a 32-byte key from STROP_ENCRYPTION_KEY
// (base64) or the file STROP_ENCRYPTION_KEY_FILE names, or, when neither is set, one generated on first
// use and stored in the database (InstanceSecret "credentials.encryption-key"), shared by every instance
// like the session secret. Production should set the variable or the file (then the key is not in
// database backups); losing the key makes stored credentials unreadable (set them again).
//
// Envelope: "v1.<key id>.<iv>.<tag>.<ciphertext>" — base64url parts, a fresh 12-byte IV per encryption,
// the 16-byte GCM tag, and the key id (first 8 hex of sha256 of the key) to tell "another key" from
// "tampered", and to pick the key from a key ring while a rotation is under way
// (STROP_ENCRYPTION_KEY_PREVIOUS, `strop admin rotate-encryption-key`). The associated data binds a
// ciphertext to its place (project and credential name): a value copied to another row does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Db, getInstanceSecret, getOrCreateInstanceSecret } from "@/lib/db";

export const ENCRYPTION_KEY_ENV = "STROP_ENCRYPTION_KEY";
/** Keys of earlier rotations, comma-separated (or a file of them, one per line): decryption only. */
export const PREVIOUS_KEYS_ENV = "STROP_ENCRYPTION_KEY_PREVIOUS";
export const ENCRYPTION_KEY_INSTANCE_SECRET = "credentials.encryption-key";
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A credential could not be decrypted: another key, or a modified ciphertext. Never carries the value. */
export class CredentialDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialDecryptionError";
  }
}

/** A configured key that is not 32 bytes of base64. */
export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EncryptionKeyError";
  }
}

export interface EncryptionKey {
  key: Buffer;
  /** First 8 hex of sha256(key): stored in each envelope, says nothing about the key. */
  id: string;
  source: "env" | "file" | "database";
}

/** The key new envelopes are written with, and every key that may still open older ones. */
export interface KeyRing {
  current: EncryptionKey;
  keys: EncryptionKey[];
}

type Env = Record<string, string | undefined>;

export function keyFrom(text: string, source: EncryptionKey["source"], label?: string): EncryptionKey {
  const trimmed = text.trim();
  // Node's base64 decoder also takes the URL-safe alphabet.
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    const where = label ?? (source === "database" ? "the stored encryption key" : ENCRYPTION_KEY_ENV);
    throw new EncryptionKeyError(
      `${where} must be 32 bytes in base64 ` +
        `(e.g. the output of \`openssl rand -base64 32\`), got ${key.length} bytes`,
    );
  }
  return { key, id: createHash("sha256").update(key).digest("hex").slice(0, 8), source };
}

/**
 * A secret the operator configured: the variable `name`, else the file `${name}_FILE` names (trimmed;
 * for secrets mounted by Docker or Kubernetes). Undefined when neither is set.
 */
export function configuredSecret(
  name: string,
  env: Env = process.env,
): { value: string; source: "env" | "file" } | undefined {
  const direct = env[name]?.trim();
  if (direct) return { value: direct, source: "env" };
  const file = env[`${name}_FILE`]?.trim();
  if (!file) return undefined;
  let value: string;
  try {
    value = readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new EncryptionKeyError(
      `${name}_FILE names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  if (!value) throw new EncryptionKeyError(`${name}_FILE names ${file}, which is empty`);
  return { value, source: "file" };
}

/** The key an operator configured (STROP_ENCRYPTION_KEY or STROP_ENCRYPTION_KEY_FILE), if any. */
export function configuredEncryptionKey(env: Env = process.env): EncryptionKey | undefined {
  const configured = configuredSecret(ENCRYPTION_KEY_ENV, env);
  return configured ? keyFrom(configured.value, configured.source) : undefined;
}

function previousKeys(env: Env): EncryptionKey[] {
  const configured = configuredSecret(PREVIOUS_KEYS_ENV, env);
  if (!configured) return [];
  return configured.value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((text, i) => keyFrom(text, configured.source, `${PREVIOUS_KEYS_ENV} (key ${i + 1})`));
}

const cache = new WeakMap<Db, Promise<EncryptionKey>>();

/** The key: STROP_ENCRYPTION_KEY (or _FILE) when set, else the database's (generated on first use). */
export function credentialEncryptionKey(db: Db, env: Env = process.env): Promise<EncryptionKey> {
  try {
    const configured = configuredEncryptionKey(env);
    if (configured) return Promise.resolve(configured);
  } catch (error) {
    return Promise.reject(error);
  }
  let key = cache.get(db);
  if (!key) {
    key = getOrCreateInstanceSecret(db, ENCRYPTION_KEY_INSTANCE_SECRET, () =>
      randomBytes(32).toString("base64"),
    ).then((text) => keyFrom(text, "database"));
    key.catch(() => cache.delete(db));
    cache.set(db, key);
  }
  return key;
}

/** Forgets the database key this process read (after a rotation replaced it). */
export function forgetCachedEncryptionKey(db: Db): void {
  cache.delete(db);
}

/**
 * The current key and every key that may open older envelopes: the previous keys the operator lists and
 * the database's key when the current one is configured (the state before the operator set one).
 */
export async function credentialEncryptionKeys(db: Db, env: Env = process.env): Promise<KeyRing> {
  const current = await credentialEncryptionKey(db, env);
  const keys = [current, ...previousKeys(env)];
  if (current.source !== "database") {
    const stored = await getInstanceSecret(db, ENCRYPTION_KEY_INSTANCE_SECRET);
    if (stored) keys.push(keyFrom(stored, "database"));
  }
  const unique = keys.filter((key, i) => keys.findIndex((k) => k.id === key.id) === i);
  return { current, keys: unique };
}

/** sha256 of the plaintext, first 8 hex: shown to tell credentials apart, useless to recover them. */
export function credentialFingerprint(plaintext: string): string {
  return createHash("sha256").update(plaintext, "utf8").digest("hex").slice(0, 8);
}

export function encryptCredential(key: EncryptionKey, plaintext: string, associatedData: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    key.id,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

/** The plaintext; throws CredentialDecryptionError for an unknown key, a modified envelope or other AAD. */
export function decryptCredential(
  keys: EncryptionKey | KeyRing,
  envelope: string,
  associatedData: string,
): string {
  const ring: KeyRing = "current" in keys ? keys : { current: keys, keys: [keys] };
  const parts = envelope.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new CredentialDecryptionError("the stored credential is not in a known format");
  }
  const [, keyId, ivText, tagText, dataText] = parts as [string, string, string, string, string];
  const key = ring.keys.find((k) => k.id === keyId);
  if (!key) {
    throw new CredentialDecryptionError(
      `the stored credential was encrypted with another key (${keyId}, the current one is ${ring.current.id}): ` +
        `list the old key in ${PREVIOUS_KEYS_ENV}, or set the credential again`,
    );
  }
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new CredentialDecryptionError("the stored credential is damaged");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new CredentialDecryptionError(
      "the stored credential failed its integrity check (modified or misplaced)",
    );
  }
}

/**
 * The associated data of a project's credential `name` of `provider`. A provider's default credential
 * is named after it, which keeps the form of the envelopes written before credentials had names.
 */
export function credentialAssociatedData(projectId: string, name: string, provider: string): string {
  const base = `strop:provider-credential:${projectId}:${name}`;
  return name === provider ? base : `${base}:${provider}`;
}
