// A project's negative-feedback alert settings: any member reads them, admins change them (audited).
import type { ProjectAccess } from "@/lib/auth/principal";
import { type AuditActor, type Db, getFeedbackAlert, setFeedbackAlert } from "@/lib/db";
import type { FeedbackAlert, FeedbackAlertSettings } from "@/lib/validation/feedback-alerts";
import { requireRole } from "../prompts/access";

export async function getFeedbackAlertSettings(
  db: Db,
  access: ProjectAccess,
): Promise<FeedbackAlertSettings> {
  const { settings, isDefault } = await getFeedbackAlert(db, access.project.id);
  return { ...settings, isDefault };
}

export async function setFeedbackAlertSettings(
  db: Db,
  access: ProjectAccess,
  settings: FeedbackAlert,
  actor: AuditActor,
): Promise<FeedbackAlertSettings> {
  await requireRole(db, access, actor, "admin", {
    operation: "change the feedback alerts",
    target: access.project.slug,
  });
  await setFeedbackAlert(db, access.project, settings, actor);
  return getFeedbackAlertSettings(db, access);
}
