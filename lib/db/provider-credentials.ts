// Provider credentials of a project (ML settings). Rows hold an encrypted envelope (lib/auth/
// credential-encryption.ts encrypts before anything reaches this layer) and a fingerprint. Setting and
// removing a credential commit with an audit entry that records the provider and fingerprint only.
// The envelope leaves this layer only through `listEncryptedCredentials` (for decryption by the
// services that use the credential); everything else returns `CredentialStatusRecord`s.
import { NotFoundError } from "@/lib/core/errors";
import { type AuditActor, audited } from "./audit";
import type { Db } from "./client";
import type { ProjectScope } from "./memberships";
import { retryOnUniqueViolation } from "./util";

export interface CredentialStatusRecord {
  provider: string;
  fingerprint: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface EncryptedCredential {
  provider: string;
  ciphertext: string;
  fingerprint: string;
}

const STATUS_SELECT = { provider: true, fingerprint: true, updatedAt: true, updatedByLabel: true } as const;

const statusRecord = (row: {
  provider: string;
  fingerprint: string;
  updatedAt: Date;
  updatedByLabel: string;
}): CredentialStatusRecord => ({
  provider: row.provider,
  fingerprint: row.fingerprint,
  updatedAt: row.updatedAt,
  updatedBy: row.updatedByLabel,
});

/** The providers with a stored credential, without the values. */
export async function listCredentialStatuses(db: Db, projectId: string): Promise<CredentialStatusRecord[]> {
  const rows = await db.providerCredential.findMany({
    where: { projectId },
    select: STATUS_SELECT,
    orderBy: { provider: "asc" },
  });
  return rows.map(statusRecord);
}

/** For the services that use the credentials: the encrypted envelopes of the project. */
export function listEncryptedCredentials(db: Db, projectId: string): Promise<EncryptedCredential[]> {
  return db.providerCredential.findMany({
    where: { projectId },
    select: { provider: true, ciphertext: true, fingerprint: true },
    orderBy: { provider: "asc" },
  });
}

export interface StoreCredentialInput extends ProjectScope {
  provider: string;
  /** Already encrypted. */
  ciphertext: string;
  fingerprint: string;
}

/**
 * Stores (or replaces) the project's credential for a provider. Audited as "credential.set" (none
 * before) or "credential.changed", with the fingerprints only.
 */
export function storeProviderCredential(
  db: Db,
  input: StoreCredentialInput,
  actor: AuditActor,
): Promise<CredentialStatusRecord> {
  const updatedById = actor.type === "user" || actor.type === "api_key" ? actor.id : null;
  return retryOnUniqueViolation(() =>
    audited(db, actor, async (tx) => {
      const where = { projectId_provider: { projectId: input.projectId, provider: input.provider } };
      const before = await tx.providerCredential.findUnique({ where, select: STATUS_SELECT });
      const data = {
        ciphertext: input.ciphertext,
        fingerprint: input.fingerprint,
        updatedById,
        updatedByLabel: actor.label,
      };
      const row = before
        ? await tx.providerCredential.update({ where, data, select: STATUS_SELECT })
        : await tx.providerCredential.create({
            data: { projectId: input.projectId, provider: input.provider, ...data },
            select: STATUS_SELECT,
          });
      return {
        result: statusRecord(row),
        audit: {
          action: before ? "credential.changed" : "credential.set",
          organizationId: input.organizationId,
          projectId: input.projectId,
          targetType: "provider_credential",
          targetId: input.provider,
          targetLabel: input.provider,
          before: before ? { provider: input.provider, fingerprint: before.fingerprint } : null,
          after: { provider: input.provider, fingerprint: row.fingerprint },
        },
      };
    }),
  );
}

/** Removes the project's credential for a provider (404 when none is stored); audited "credential.removed". */
export function removeProviderCredential(
  db: Db,
  input: ProjectScope & { provider: string },
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    const where = { projectId: input.projectId, provider: input.provider };
    const before = await tx.providerCredential.findFirst({ where, select: STATUS_SELECT });
    const { count } = before ? await tx.providerCredential.deleteMany({ where }) : { count: 0 };
    if (!before || count === 0)
      throw new NotFoundError(`no ${input.provider} credential is stored in this project`);
    return {
      result: undefined,
      audit: {
        action: "credential.removed",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "provider_credential",
        targetId: input.provider,
        targetLabel: input.provider,
        before: { provider: input.provider, fingerprint: before.fingerprint },
      },
    };
  });
}
