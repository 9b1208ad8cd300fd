// A project's negative-feedback alert settings (Project.feedbackAlert): parsed here, once, with the
// shared contract; null (never set) reads as the defaults.
import { type FeedbackAlert, feedbackAlertSchema } from "@/lib/validation/feedback-alerts";
import { readStored } from "@/lib/validation/stored-document";
import { type AuditActor, audited } from "../audit";
import type { Db, Tx } from "../client";
import type { ProjectRecord } from "../projects";
import { jsonOrNull } from "../util";

export interface StoredFeedbackAlert {
  settings: FeedbackAlert;
  isDefault: boolean;
}

function parseAlert(projectId: string, value: unknown): StoredFeedbackAlert {
  if (value === null || value === undefined)
    return { settings: feedbackAlertSchema.parse({}), isDefault: true };
  return {
    settings: readStored(feedbackAlertSchema, value, `project ${projectId} feedbackAlert`),
    isDefault: false,
  };
}

export async function getFeedbackAlert(db: Db | Tx, projectId: string): Promise<StoredFeedbackAlert> {
  const row = await db.project.findUnique({ where: { id: projectId }, select: { feedbackAlert: true } });
  return parseAlert(projectId, row?.feedbackAlert ?? null);
}

/** Sets the settings with a "project.feedback_alert_set" audit entry (before and after), in one transaction. */
export function setFeedbackAlert(
  db: Db,
  project: ProjectRecord,
  settings: FeedbackAlert,
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    const before = await getFeedbackAlert(tx, project.id);
    await tx.project.update({ where: { id: project.id }, data: { feedbackAlert: jsonOrNull(settings) } });
    return {
      result: undefined,
      audit: {
        action: "project.feedback_alert_set",
        organizationId: project.organization.id,
        projectId: project.id,
        targetType: "project",
        targetId: project.id,
        targetLabel: project.slug,
        before: before.isDefault ? null : { ...before.settings },
        after: { ...settings },
      },
    };
  });
}

export interface AlertProject {
  id: string;
  organizationId: string;
  slug: string;
  settings: FeedbackAlert;
}

/** Every project the scheduled check looks at: not archived, alerts enabled. */
export async function listAlertProjects(db: Db): Promise<AlertProject[]> {
  const rows = await db.project.findMany({
    where: { archivedAt: null },
    select: { id: true, organizationId: true, slug: true, feedbackAlert: true },
    orderBy: { createdAt: "asc" },
  });
  return rows
    .map((row) => ({ ...row, settings: parseAlert(row.id, row.feedbackAlert).settings }))
    .filter((row) => row.settings.enabled)
    .map(({ feedbackAlert: _, ...project }) => project);
}
