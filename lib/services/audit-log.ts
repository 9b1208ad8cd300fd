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

/** One field of an entry's change, as the audit page shows it: "Role: editor → admin". */
export interface AuditFieldChange {
  field: string;
  /** "Evaluation run ID" for evaluationRunId, "Archived at" for archivedAt. */
  label: string;
  /** null: the field was not there (set) or is gone (removed). */
  before: string | null;
  after: string | null;
  changed: boolean;
}

const NO_VALUE = "—";

/** "evaluationRunId" / "key_prefix" → "Evaluation run ID" / "Key prefix". */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .toLowerCase()
    .replace(/\bid\b/g, "ID");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A stored summary value in words: lists joined, nested objects as "name: value" pairs. */
export function formatAuditValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return NO_VALUE;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.length ? value.map(formatAuditValue).join(", ") : NO_VALUE;
  if (typeof value === "object")
    return Object.entries(value)
      .map(([key, inner]) => `${fieldLabel(key)}: ${formatAuditValue(inner)}`)
      .join("; ");
  return String(value);
}

/**
 * The fields of `before` and `after` side by side, changed ones first, in the order the entry lists
 * them. A field present on one side only is "set" (before null) or "removed" (after null).
 */
export function auditFieldChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditFieldChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const changes = fields.map((field) => {
    const from = before && field in before ? formatAuditValue(before[field]) : null;
    const to = after && field in after ? formatAuditValue(after[field]) : null;
    return { field, label: fieldLabel(field), before: from, after: to, changed: from !== to };
  });
  return [...changes.filter((c) => c.changed), ...changes.filter((c) => !c.changed)];
}
