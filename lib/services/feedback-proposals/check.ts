// The negative-feedback check (the `feedback-proposals` schedule, and an admin's "Check now"): for each
// project with alerts enabled, the share of negative judgments per prompt version and feedback name in
// the window, counted by the database; a version that still serves traffic (a label points at it, a
// running experiment splits traffic onto it, or it answered a generation in the last 24 hours) and whose
// share reaches the project's rate over at least its minimum number of judgments gets one open proposal
// to optimize from feedback. A proposal someone decided (started or dismissed) is not opened again for
// the same version and name until a window has passed since the decision.
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError } from "@/lib/core/errors";
import {
  type AlertProject,
  type AuditActor,
  countVersionFeedback,
  type Db,
  getFeedbackAlert,
  openFeedbackProposal,
  proposalKey,
  recentlyDecidedKeys,
  SYSTEM_ACTOR,
  servingVersions,
} from "@/lib/db";
import { intervalMinutes, type ScheduleInterval } from "@/lib/runner/schedule";
import type { FeedbackCheck } from "@/lib/validation/feedback-alerts";
import { requireRole } from "../prompts/access";

export const FEEDBACK_CHECK_INTERVAL: ScheduleInterval = {
  env: "STROP_FEEDBACK_CHECK_MINUTES",
  defaultMinutes: 60,
};

/** How often the scheduled check runs in this deployment (pages say it). */
export const feedbackCheckMinutes = (env: Record<string, string | undefined> = process.env) =>
  intervalMinutes(FEEDBACK_CHECK_INTERVAL, env);

const DAY_MS = 24 * 60 * 60 * 1000;
/** A version that answered a generation this recently still serves traffic (pinned by `?version=`). */
const RECENTLY_SERVED_MS = DAY_MS;

/** The check of one project with its settings; counts of proposals opened and refreshed. */
export async function checkProjectFeedback(
  db: Db,
  project: AlertProject,
  actor: AuditActor = SYSTEM_ACTOR,
  now: number = Date.now(),
): Promise<FeedbackCheck> {
  const { settings } = project;
  const since = new Date(now - settings.windowDays * DAY_MS);
  const counts = await countVersionFeedback(db, {
    projectId: project.id,
    since,
    names: settings.names,
    negativeAtMost: settings.negativeAtMost,
  });
  const over = counts.filter(
    (c) => c.total >= settings.minimumJudgments && c.negative / c.total >= settings.rate,
  );
  const result: FeedbackCheck = { opened: 0, refreshed: 0 };
  if (over.length === 0) return result;
  const [serving, decided] = await Promise.all([
    servingVersions(
      db,
      project.id,
      [...new Set(over.map((c) => c.versionId))],
      new Date(now - RECENTLY_SERVED_MS),
    ),
    recentlyDecidedKeys(db, project.id, since),
  ]);
  const scope = { projectId: project.id, organizationId: project.organizationId };
  for (const count of over) {
    const version = serving.get(count.versionId);
    if (!version || decided.has(proposalKey(count.versionId, count.name))) continue;
    const outcome = await openFeedbackProposal(
      db,
      scope,
      {
        taskId: version.taskId,
        versionId: count.versionId,
        feedbackName: count.name,
        negative: count.negative,
        total: count.total,
        rate: count.negative / count.total,
        threshold: settings.rate,
      },
      actor,
    );
    result[outcome] += 1;
  }
  return result;
}

/** "Check now" (admins): the check of the caller's project, at once; 409 while its alerts are off. */
export async function checkFeedbackNow(
  db: Db,
  access: ProjectAccess,
  actor: AuditActor,
): Promise<FeedbackCheck> {
  await requireRole(db, access, actor, "admin", {
    operation: "check feedback now",
    target: access.project.slug,
  });
  const { settings } = await getFeedbackAlert(db, access.project.id);
  if (!settings.enabled)
    throw new ConflictError(
      `feedback alerts are off for project "${access.project.slug}": turn them on first`,
    );
  return checkProjectFeedback(
    db,
    {
      id: access.project.id,
      organizationId: access.project.organization.id,
      slug: access.project.slug,
      settings,
    },
    actor,
  );
}
