// Project API keys: list (never the secret), create (the secret is returned once), revoke.

import { forgetRevokedApiKey } from "@/lib/auth/api-key-cache";
import { generateApiKey } from "@/lib/auth/api-key-secret";
import type { ProjectAccess } from "@/lib/auth/principal";
import { ForbiddenError } from "@/lib/core/errors";
import { type ApiKeyRole, apiKeyRefusal } from "@/lib/core/roles";
import {
  type ApiKeyRecord,
  type AuditActor,
  createApiKey,
  type Db,
  listApiKeys,
  revokeApiKey,
} from "@/lib/db";

export function listProjectApiKeys(db: Db, access: ProjectAccess): Promise<ApiKeyRecord[]> {
  return listApiKeys(db, access.project.id);
}

export async function createProjectApiKey(
  db: Db,
  access: ProjectAccess,
  input: { name: string; role: ApiKeyRole },
  actor: AuditActor,
): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
  const refusal = apiKeyRefusal(access.role, input.role);
  if (refusal) throw new ForbiddenError(refusal);
  const { secret, prefix, secretHash } = generateApiKey();
  const apiKey = await createApiKey(
    db,
    {
      projectId: access.project.id,
      organizationId: access.project.organization.id,
      name: input.name,
      role: input.role,
      prefix,
      secretHash,
      createdById: access.principal.kind === "user" ? access.principal.userId : null,
    },
    actor,
  );
  return { apiKey, secret };
}

/** Revokes the key; this process stops accepting it at once (others within STROP_API_KEY_CACHE_SECONDS). */
export async function revokeProjectApiKey(
  db: Db,
  access: ProjectAccess,
  keyId: string,
  actor: AuditActor,
): Promise<ApiKeyRecord> {
  const revoked = await revokeApiKey(
    db,
    { projectId: access.project.id, organizationId: access.project.organization.id, keyId },
    actor,
  );
  forgetRevokedApiKey(revoked.id);
  return revoked;
}
