// `strop admin rotate-encryption-key`: re-encrypts every stored credential under the current key.
// - The key is configured (STROP_ENCRYPTION_KEY or _FILE): envelopes under older keys (listed in
//   STROP_ENCRYPTION_KEY_PREVIOUS, or the database's key from before a key was configured) are
//   re-encrypted one by one, each only if no admin changed it meanwhile. `dropDatabaseKey` then removes
//   the database's key, so that backups of the database hold no key at all.
// - The key lives in the database: a new one is generated and every envelope re-encrypted under it, with
//   the stored key replaced in the same transaction.
// Values are decrypted in memory only, never printed; the result counts and names credentials.
import { randomBytes } from "node:crypto";
import {
  credentialAssociatedData,
  credentialEncryptionKeys,
  decryptCredential,
  ENCRYPTION_KEY_INSTANCE_SECRET,
  type EncryptionKey,
  encryptCredential,
  forgetCachedEncryptionKey,
  type KeyRing,
  keyFrom,
} from "@/lib/auth/credential-encryption";
import { InputError } from "@/lib/core/errors";
import {
  type AuditActor,
  appendAudit,
  type Db,
  deleteInstanceSecret,
  type EncryptedCredential,
  pageEncryptedCredentials,
  replaceCredentialCiphertext,
  replaceDatabaseKeyAndCiphertexts,
} from "@/lib/db";

export interface RotationResult {
  /** The id (first 8 hex of its sha256) of the key every readable credential is now under. */
  keyId: string;
  keySource: EncryptionKey["source"];
  reencrypted: number;
  alreadyCurrent: number;
  /** Credentials no key in the ring opens (set them again): project id and name only. */
  unreadable: { projectId: string; name: string; reason: string }[];
  /** True when the database's copy of a key was removed (`dropDatabaseKey`). */
  databaseKeyRemoved: boolean;
}

const PAGE = 200;

async function* everyCredential(db: Db): AsyncGenerator<EncryptedCredential> {
  let after: string | null = null;
  for (;;) {
    const page = await pageEncryptedCredentials(db, after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page.at(-1)!.id;
  }
}

const keyIdOf = (envelope: string) => envelope.split(".")[1] ?? "";

function reencrypt(row: EncryptedCredential, ring: KeyRing, target: EncryptionKey): string {
  const aad = credentialAssociatedData(row.projectId, row.name, row.provider);
  return encryptCredential(target, decryptCredential(ring, row.ciphertext, aad), aad);
}

export async function rotateCredentialEncryptionKey(
  db: Db,
  options: { env?: Record<string, string | undefined>; dropDatabaseKey?: boolean; actor: AuditActor },
): Promise<RotationResult> {
  const env = options.env ?? process.env;
  const ring = await credentialEncryptionKeys(db, env);
  const fromDatabase = ring.current.source === "database";
  if (fromDatabase && options.dropDatabaseKey) {
    throw new InputError(
      "--drop-database-key needs a configured key (STROP_ENCRYPTION_KEY or STROP_ENCRYPTION_KEY_FILE): " +
        "the database's key is the only one",
    );
  }
  const target = fromDatabase ? keyFrom(randomBytes(32).toString("base64"), "database") : ring.current;
  const result: RotationResult = {
    keyId: target.id,
    keySource: target.source,
    reencrypted: 0,
    alreadyCurrent: 0,
    unreadable: [],
    databaseKeyRemoved: false,
  };
  const updates: { id: string; expectedCiphertext: string; ciphertext: string }[] = [];
  for await (const row of everyCredential(db)) {
    if (keyIdOf(row.ciphertext) === target.id) {
      result.alreadyCurrent++;
      continue;
    }
    try {
      updates.push({
        id: row.id,
        expectedCiphertext: row.ciphertext,
        ciphertext: reencrypt(row, ring, target),
      });
    } catch (error) {
      result.unreadable.push({ projectId: row.projectId, name: row.name, reason: (error as Error).message });
    }
  }
  const audit = { keyId: target.id, reencrypted: updates.length };
  if (fromDatabase) {
    await replaceDatabaseKeyAndCiphertexts(
      db,
      ENCRYPTION_KEY_INSTANCE_SECRET,
      target.key.toString("base64"),
      updates,
      options.actor,
      audit,
    );
    forgetCachedEncryptionKey(db);
    result.reencrypted = updates.length;
  } else {
    for (const update of updates)
      if (await replaceCredentialCiphertext(db, update.id, update.expectedCiphertext, update.ciphertext))
        result.reencrypted++;
    await appendAudit(db, options.actor, {
      action: "credentials.key_rotated",
      targetType: "instance",
      targetId: ENCRYPTION_KEY_INSTANCE_SECRET,
      targetLabel: "credential encryption key",
      after: { ...audit, reencrypted: result.reencrypted },
    });
    // Only once nothing depends on it: an unreadable credential may still need the old key.
    if (options.dropDatabaseKey && result.unreadable.length === 0)
      result.databaseKeyRemoved = await deleteInstanceSecret(db, ENCRYPTION_KEY_INSTANCE_SECRET);
  }
  return result;
}
