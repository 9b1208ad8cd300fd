// Project API keys. Only the visible prefix and the sha256 of the whole key are stored; creating and
// revoking a key commit together with their audit entries (which carry name, prefix and role only).
import { NotFoundError } from "@/lib/core/errors";
import type { ApiKeyRole } from "@/lib/core/roles";
import { type AuditActor, audited } from "./audit";
import type { Db } from "./client";
import type { ProjectScope } from "./memberships";

export interface ApiKeyRecord {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { id: string; email: string } | null;
}

const KEY_SELECT = {
  id: true,
  projectId: true,
  name: true,
  prefix: true,
  role: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, email: true } },
} as const;

type KeyRow = Omit<ApiKeyRecord, "role"> & { role: string };
const keyRecord = (row: KeyRow): ApiKeyRecord => ({ ...row, role: row.role as ApiKeyRole });

const summary = (key: ApiKeyRecord) => ({ name: key.name, prefix: key.prefix, role: key.role });

export interface NewApiKey extends ProjectScope {
  name: string;
  role: ApiKeyRole;
  prefix: string;
  secretHash: string;
  createdById: string | null;
}

export function createApiKey(db: Db, input: NewApiKey, actor: AuditActor): Promise<ApiKeyRecord> {
  return audited(db, actor, async (tx) => {
    const key = keyRecord(
      await tx.apiKey.create({
        data: {
          projectId: input.projectId,
          name: input.name,
          role: input.role,
          prefix: input.prefix,
          secretHash: input.secretHash,
          createdById: input.createdById,
        },
        select: KEY_SELECT,
      }),
    );
    return {
      result: key,
      audit: {
        action: "api_key.created",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "api_key",
        targetId: key.id,
        targetLabel: key.prefix,
        after: summary(key),
      },
    };
  });
}

/** The project's keys, newest first (revoked ones included). */
export async function listApiKeys(db: Db, projectId: string): Promise<ApiKeyRecord[]> {
  const rows = await db.apiKey.findMany({
    where: { projectId },
    select: KEY_SELECT,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(keyRecord);
}

/** For authentication only: the key by its prefix, with its hash. */
export function findApiKeyForAuth(db: Db, prefix: string) {
  return db.apiKey.findUnique({
    where: { prefix },
    select: {
      id: true,
      projectId: true,
      name: true,
      prefix: true,
      role: true,
      secretHash: true,
      revokedAt: true,
    },
  });
}

/** Stamps the last use, at most once per `minIntervalMs` (one write per key per minute, not per request). */
export async function touchApiKey(
  db: Db,
  id: string,
  now = new Date(),
  minIntervalMs = 60_000,
): Promise<void> {
  await db.apiKey.updateMany({
    where: {
      id,
      OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - minIntervalMs) } }],
    },
    data: { lastUsedAt: now },
  });
}

/** Revokes a key of this project (a key of another project is "not found"). Revoking twice is a no-op. */
export function revokeApiKey(
  db: Db,
  input: ProjectScope & { keyId: string },
  actor: AuditActor,
): Promise<ApiKeyRecord> {
  return audited(db, actor, async (tx) => {
    const row = await tx.apiKey.findFirst({
      where: { id: input.keyId, projectId: input.projectId },
      select: KEY_SELECT,
    });
    if (!row) throw new NotFoundError("no such API key in this project");
    if (row.revokedAt) return { result: keyRecord(row), audit: null };
    const key = keyRecord(
      await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() }, select: KEY_SELECT }),
    );
    return {
      result: key,
      audit: {
        action: "api_key.revoked",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "api_key",
        targetId: key.id,
        targetLabel: key.prefix,
        before: { ...summary(key), revoked: false },
        after: { ...summary(key), revoked: true },
      },
    };
  });
}
