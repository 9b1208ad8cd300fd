// Encryption at rest of provider credentials: AES-256-GCM with a 32-byte key from STROP_ENCRYPTION_KEY
// (base64), or, when unset, one generated on first use and stored in the database (InstanceSecret
// "credentials.encryption-key"), shared by every instance like the session secret. Production should set
// the variable (then the key is not in database backups); losing the key makes stored credentials
// unreadable (set them again).
//
// Envelope: "v1.<key id>.<iv>.<tag>.<ciphertext>" — base64url parts, a fresh 12-byte IV per encryption,
// the 16-byte GCM tag, and the key id (first 8 hex of sha256 of the key) to tell "another key" from
// "tampered". The associated data binds a ciphertext to its place (project and provider): a value copied
// to another row does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { type Db, getOrCreateInstanceSecret } from "@/lib/db";

export const ENCRYPTION_KEY_ENV = "STROP_ENCRYPTION_KEY";
const INSTANCE_SECRET_NAME = "credentials.encryption-key";
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
  source: "env" | "database";
}

function keyFrom(text: string, source: EncryptionKey["source"]): EncryptionKey {
  const trimmed = text.trim();
  // Node's base64 decoder also takes the URL-safe alphabet.
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new EncryptionKeyError(
      `${source === "env" ? ENCRYPTION_KEY_ENV : "the stored encryption key"} must be 32 bytes in base64 ` +
        `(e.g. the output of \`openssl rand -base64 32\`), got ${key.length} bytes`,
    );
  }
  return { key, id: createHash("sha256").update(key).digest("hex").slice(0, 8), source };
}

const cache = new WeakMap<Db, Promise<EncryptionKey>>();

/** The key: STROP_ENCRYPTION_KEY when set, else the database's (generated on first use). */
export function credentialEncryptionKey(
  db: Db,
  env: Record<string, string | undefined> = process.env,
): Promise<EncryptionKey> {
  const fromEnv = env[ENCRYPTION_KEY_ENV]?.trim();
  if (fromEnv) {
    try {
      return Promise.resolve(keyFrom(fromEnv, "env"));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  let key = cache.get(db);
  if (!key) {
    key = getOrCreateInstanceSecret(db, INSTANCE_SECRET_NAME, () => randomBytes(32).toString("base64")).then(
      (text) => keyFrom(text, "database"),
    );
    key.catch(() => cache.delete(db));
    cache.set(db, key);
  }
  return key;
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

/** The plaintext; throws CredentialDecryptionError for another key, a modified envelope or other AAD. */
export function decryptCredential(key: EncryptionKey, envelope: string, associatedData: string): string {
  const parts = envelope.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new CredentialDecryptionError("the stored credential is not in a known format");
  }
  const [, keyId, ivText, tagText, dataText] = parts as [string, string, string, string, string];
  if (keyId !== key.id) {
    throw new CredentialDecryptionError(
      `the stored credential was encrypted with another key (${keyId}, the current one is ${key.id}): ` +
        `restore the previous ${ENCRYPTION_KEY_ENV} or set the credential again`,
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

/** The associated data of a project's credential for a provider. */
export function credentialAssociatedData(projectId: string, provider: string): string {
  return `strop:provider-credential:${projectId}:${provider}`;
}
