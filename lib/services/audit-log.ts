// Reading a project's audit log (admins and owners; the route declares the role).
import type { ProjectAccess } from "@/lib/auth/principal";
import { type AuditRecord, type Db, listAuditEntries, type Page, type PageCursor } from "@/lib/db";

export interface AuditEntryView {
  id: string;
  createdAt: Date;
  action: string;
  actor: { type: AuditRecord["actorType"]; id: string | null; label: string };
  target: { type: string | null; id: string | null; label: string | null };
  ip: string | null;
  userAgent: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export function auditEntryView(row: AuditRecord): AuditEntryView {
  return {
    id: row.id,
    createdAt: row.createdAt,
    action: row.action,
    actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
    target: { type: row.targetType, id: row.targetId, label: row.targetLabel },
    ip: row.ip,
    userAgent: row.userAgent,
    before: row.before,
    after: row.after,
  };
}

export function listProjectAudit(
  db: Db,
  access: ProjectAccess,
  query: { action?: string; cursor: PageCursor | null; limit: number },
): Promise<Page<AuditRecord>> {
  return listAuditEntries(db, { projectId: access.project.id, ...query });
}
