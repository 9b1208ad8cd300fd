// The audit log: append-only. Entries are written by the repository that makes the change, inside the
// same transaction (`audited`), so a change and its entry commit or roll back together. Nothing here
// updates or deletes an entry.
import type { AuditAction } from "@/lib/validation/audit-actions";
import { readStored } from "@/lib/validation/stored-document";
import { storedObjectSchema } from "@/lib/validation/stored-state";
import type { Db, Tx } from "./client";
import { keysetPage, type Page, type PageCursor } from "./pagination";
import { jsonOrNull } from "./util";

export type AuditActorType = "user" | "api_key" | "system" | "anonymous";

/** Who did it, from where. `label` (email, key prefix, "cli") stays readable after the actor is gone. */
export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  label: string;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntryInput {
  /** e.g. "member.role_changed"; only the declared ones (lib/validation/audit-actions.ts). */
  action: AuditAction;
  organizationId?: string | null;
  projectId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  targetLabel?: string | null;
  /** Summaries of the record before and after: chosen fields only, never secrets. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditRecord {
  id: string;
  createdAt: Date;
  action: string;
  actorType: AuditActorType;
  actorId: string | null;
  actorLabel: string;
  organizationId: string | null;
  projectId: string | null;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  ip: string | null;
  userAgent: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The actor of changes made by the system itself (migrations, the CLI without a user). */
export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, label: "system" };

const clip = (value: string | null | undefined, max: number): string | null =>
  value === null || value === undefined ? null : value.slice(0, max);

/** Appends one entry (use inside the transaction of the change it records). */
export async function appendAudit(db: Db | Tx, actor: AuditActor, entry: AuditEntryInput): Promise<void> {
  await db.auditLog.create({
    data: {
      action: entry.action,
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label.slice(0, 320),
      organizationId: entry.organizationId ?? null,
      projectId: entry.projectId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      targetLabel: clip(entry.targetLabel, 320),
      ip: clip(actor.ip, 100),
      userAgent: clip(actor.userAgent, 300),
      before: jsonOrNull(entry.before),
      after: jsonOrNull(entry.after),
    },
  });
}

/**
 * Runs `change` in a transaction and appends the audit entries it returns in the same transaction: if
 * either fails, neither is stored. `actor` may depend on the result: someone creating their own account
 * is its actor, and exists only once the change ran.
 */
export function audited<T>(
  db: Db,
  actor: AuditActor | ((result: T) => AuditActor),
  change: (tx: Tx) => Promise<{ result: T; audit: AuditEntryInput | AuditEntryInput[] | null }>,
  options: { serializable?: boolean } = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      const { result, audit } = await change(tx);
      const by = typeof actor === "function" ? actor(result) : actor;
      for (const entry of audit === null ? [] : Array.isArray(audit) ? audit : [audit]) {
        await appendAudit(tx, by, entry);
      }
      return result;
    },
    options.serializable ? { isolationLevel: "Serializable" } : undefined,
  );
}

export interface AuditQuery {
  projectId: string;
  /** Exact action ("member.added") or a prefix ending in "." ("member."). */
  action?: string;
  cursor?: PageCursor | null;
  limit: number;
}

/** A project's entries, newest first. */
export function listAuditEntries(db: Db, query: AuditQuery): Promise<Page<AuditRecord>> {
  const action = query.action
    ? query.action.endsWith(".")
      ? { startsWith: query.action }
      : query.action
    : undefined;
  return keysetPage(query, async (where, take) => {
    const rows = await db.auditLog.findMany({
      where: { projectId: query.projectId, ...(action ? { action } : {}), ...where },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
    return rows.map((row) => ({
      ...row,
      actorType: row.actorType as AuditActorType,
      before:
        row.before === null
          ? null
          : readStored(storedObjectSchema, row.before, `audit entry ${row.id}: before`),
      after:
        row.after === null ? null : readStored(storedObjectSchema, row.after, `audit entry ${row.id}: after`),
    }));
  });
}
