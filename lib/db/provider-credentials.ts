// Provider credentials of a project (ML settings), by name. Rows hold an encrypted envelope (lib/auth/
// credential-encryption.ts encrypts before anything reaches this layer), a fingerprint and a display copy
// of the endpoint the credential is bound to. Setting and removing a credential commit with an audit
// entry that records name, provider, endpoint and fingerprint only. The envelope leaves this layer only
// through `listEncryptedCredentials` (for decryption by the services that use the credential, and for
// key rotation); everything else returns `CredentialStatusRecord`s.
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import { type AuditActor, audited } from "./audit";
import type { Db } from "./client";
import type { ProjectScope } from "./memberships";
import { retryOnUniqueViolation } from "./util";

export interface CredentialStatusRecord {
  name: string;
  provider: string;
  endpoint: string | null;
  fingerprint: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface EncryptedCredential {
  id: string;
  projectId: string;
  name: string;
  provider: string;
  ciphertext: string;
  fingerprint: string;
}

const STATUS_SELECT = {
  name: true,
  provider: true,
  endpoint: true,
  fingerprint: true,
  updatedAt: true,
  updatedByLabel: true,
} as const;

const ENCRYPTED_SELECT = {
  id: true,
  projectId: true,
  name: true,
  provider: true,
  ciphertext: true,
  fingerprint: true,
} as const;

const statusRecord = (row: {
  name: string;
  provider: string;
  endpoint: string | null;
  fingerprint: string;
  updatedAt: Date;
  updatedByLabel: string;
}): CredentialStatusRecord => ({
  name: row.name,
  provider: row.provider,
  endpoint: row.endpoint,
  fingerprint: row.fingerprint,
  updatedAt: row.updatedAt,
  updatedBy: row.updatedByLabel,
});

/** The project's stored credentials, without their values. */
export async function listCredentialStatuses(db: Db, projectId: string): Promise<CredentialStatusRecord[]> {
  const rows = await db.providerCredential.findMany({
    where: { projectId },
    select: STATUS_SELECT,
    orderBy: { name: "asc" },
  });
  return rows.map(statusRecord);
}

/** For the services that use the credentials: the project's encrypted envelopes (one name, or all). */
export function listEncryptedCredentials(
  db: Db,
  projectId: string,
  name?: string,
): Promise<EncryptedCredential[]> {
  return db.providerCredential.findMany({
    where: { projectId, ...(name !== undefined ? { name } : {}) },
    select: ENCRYPTED_SELECT,
    orderBy: { name: "asc" },
  });
}

/** Every stored credential of the instance, a page at a time (key rotation re-encrypts them all). */
export function pageEncryptedCredentials(db: Db, afterId: string | null, take: number) {
  return db.providerCredential.findMany({
    where: afterId ? { id: { gt: afterId } } : {},
    select: ENCRYPTED_SELECT,
    orderBy: { id: "asc" },
    take,
  });
}

/**
 * Replaces a credential's envelope when it still holds `expectedCiphertext` (key rotation: a credential
 * an admin changed meanwhile is left alone). True when it was replaced. Not audited here: the rotation
 * writes one audit entry for the whole instance.
 */
export async function replaceCredentialCiphertext(
  db: Db,
  id: string,
  expectedCiphertext: string,
  ciphertext: string,
): Promise<boolean> {
  const { count } = await db.providerCredential.updateMany({
    where: { id, ciphertext: expectedCiphertext },
    data: { ciphertext },
  });
  return count > 0;
}

export interface StoreCredentialInput extends ProjectScope {
  name: string;
  provider: string;
  endpoint: string | null;
  /** Already encrypted (bound to project and name). */
  ciphertext: string;
  fingerprint: string;
}

const auditView = (row: {
  name: string;
  provider: string;
  endpoint: string | null;
  fingerprint: string;
}) => ({
  name: row.name,
  provider: row.provider,
  endpoint: row.endpoint,
  fingerprint: row.fingerprint,
});

/**
 * Stores (or replaces, every field) the project's credential `name`. Audited as "credential.set" (none
 * before) or "credential.changed", with names, endpoints and fingerprints only.
 */
export function storeProviderCredential(
  db: Db,
  input: StoreCredentialInput,
  actor: AuditActor,
): Promise<CredentialStatusRecord> {
  const updatedById = actor.type === "user" || actor.type === "api_key" ? actor.id : null;
  return retryOnUniqueViolation(() =>
    audited(db, actor, async (tx) => {
      const where = { projectId_name: { projectId: input.projectId, name: input.name } };
      const before = await tx.providerCredential.findUnique({ where, select: STATUS_SELECT });
      const data = {
        provider: input.provider,
        endpoint: input.endpoint,
        ciphertext: input.ciphertext,
        fingerprint: input.fingerprint,
        updatedById,
        updatedByLabel: actor.label,
      };
      const row = before
        ? await tx.providerCredential.update({ where, data, select: STATUS_SELECT })
        : await tx.providerCredential.create({
            data: { projectId: input.projectId, name: input.name, ...data },
            select: STATUS_SELECT,
          });
      return {
        result: statusRecord(row),
        audit: {
          action: before ? "credential.changed" : "credential.set",
          organizationId: input.organizationId,
          projectId: input.projectId,
          targetType: "provider_credential",
          targetId: input.name,
          targetLabel: input.name,
          before: before ? auditView(before) : null,
          after: auditView(row),
        },
      };
    }),
  );
}

/**
 * Removes the project's credential `name`: 404 when none is stored, 409 while a model configuration
 * names it (a run would otherwise fail later, far from the cause). Audited "credential.removed".
 */
export function removeProviderCredential(
  db: Db,
  input: ProjectScope & { name: string },
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    const where = { projectId: input.projectId, name: input.name };
    const before = await tx.providerCredential.findFirst({ where, select: STATUS_SELECT });
    if (!before) throw new NotFoundError(`no credential named "${input.name}" is stored in this project`);
    const users = await tx.modelConfig.findMany({
      where: { projectId: input.projectId, credential: input.name },
      select: { name: true },
      orderBy: { name: "asc" },
    });
    if (users.length > 0) {
      throw new ConflictError(
        `the credential "${input.name}" is used by model configuration(s) ${users.map((u) => `"${u.name}"`).join(", ")}: change them first`,
        { modelConfigs: users.map((u) => u.name) },
      );
    }
    await tx.providerCredential.deleteMany({ where });
    return {
      result: undefined,
      audit: {
        action: "credential.removed",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "provider_credential",
        targetId: input.name,
        targetLabel: input.name,
        before: auditView(before),
      },
    };
  });
}

/** Model configurations of the project that name each credential. */
export async function credentialUsers(db: Db, projectId: string): Promise<Map<string, string[]>> {
  const rows = await db.modelConfig.findMany({
    where: { projectId, credential: { not: null } },
    select: { name: true, credential: true },
    orderBy: { name: "asc" },
  });
  const users = new Map<string, string[]>();
  for (const row of rows) users.set(row.credential!, [...(users.get(row.credential!) ?? []), row.name]);
  return users;
}

/**
 * Key rotation when the key lives in the database: every envelope re-encrypted under the new key and the
 * stored key replaced in one transaction, so no moment exists where rows and key disagree. Each row is
 * replaced only if it still holds the envelope that was read (an admin's change meanwhile fails the
 * transaction, to be retried). Audited once for the instance.
 */
export function replaceDatabaseKeyAndCiphertexts(
  db: Db,
  secretName: string,
  newKey: string,
  updates: readonly { id: string; expectedCiphertext: string; ciphertext: string }[],
  actor: AuditActor,
  audit: { keyId: string; reencrypted: number },
): Promise<void> {
  return audited(db, actor, async (tx) => {
    for (const update of updates) {
      const { count } = await tx.providerCredential.updateMany({
        where: { id: update.id, ciphertext: update.expectedCiphertext },
        data: { ciphertext: update.ciphertext },
      });
      if (count !== 1) throw new ConflictError("a credential changed during the rotation; run it again");
    }
    await tx.instanceSecret.update({ where: { name: secretName }, data: { value: newKey } });
    return {
      result: undefined,
      audit: {
        action: "credentials.key_rotated",
        targetType: "instance",
        targetId: "credentials.encryption-key",
        targetLabel: "credential encryption key",
        after: audit,
      },
    };
  });
}
