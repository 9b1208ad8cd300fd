// Every action the audit log can record, declared once. `appendAudit` (lib/db/audit.ts) accepts only
// these, so an action written anywhere in the code is on this list — and the audit page's filter,
// built from it, offers every one of them.
import { CHANGE_REQUEST_STATUSES, LABEL_ACTIONS } from "./prompt-labels";

const labelActions = LABEL_ACTIONS.map((action) => `prompt.label_${action}` as const);
const changeRequestActions = [
  "requested",
  ...CHANGE_REQUEST_STATUSES.filter((status) => status !== "open"),
].map((action) => `prompt.change_${action}` as const);

/** Actions recorded in a project's log (they carry the project). */
export const PROJECT_AUDIT_ACTIONS = [
  "project.created",
  "project.renamed",
  "project.archived",
  "project.unarchived",
  "member.added",
  "member.role_changed",
  "member.removed",
  "api_key.created",
  "api_key.revoked",
  "credential.set",
  "credential.changed",
  "credential.removed",
  "model_config.created",
  "model_config.updated",
  "model_config.deleted",
  "metric_config.created",
  "metric_config.updated",
  "metric_config.deleted",
  "project.cost_confirmation_set",
  "dataset.created",
  "dataset.version_created",
  "dataset.deleted",
  "prompt.task_created",
  "prompt.task_updated",
  "prompt.task_deleted",
  "prompt.version_created",
  ...labelActions,
  ...changeRequestActions,
  "run.created",
  "run.cancelled",
  "run.resumed",
  "run.winner_saved",
  "batch.created",
  "batch.cancelled",
  "batch.resumed",
  "template.saved",
  "template.imported",
  "template.deleted",
  "template.used",
  "experiment.created",
  "experiment.started",
  "experiment.paused",
  "experiment.resumed",
  "experiment.stopped",
  "project.feedback_alert_set",
  "feedback.proposal_created",
  "feedback.proposal_started",
  "feedback.proposal_dismissed",
  "access.refused",
] as const;

/** Actions about a person's account or the whole instance (no project: not in a project's log). */
export const ACCOUNT_AUDIT_ACTIONS = [
  "user.created",
  "user.password_changed",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "auth.sessions_revoked",
  "credentials.key_rotated",
] as const;

export type ProjectAuditAction = (typeof PROJECT_AUDIT_ACTIONS)[number];
export type AuditAction = ProjectAuditAction | (typeof ACCOUNT_AUDIT_ACTIONS)[number];

type FamilyOf<A> = A extends `${infer F}.${string}` ? F : never;
export type ProjectAuditFamily = FamilyOf<ProjectAuditAction>;

/** What each family of project actions is about, as the filter names it (a new family must add one). */
export const PROJECT_AUDIT_FAMILIES: Record<ProjectAuditFamily, string> = {
  project: "Project",
  member: "Members",
  api_key: "API keys",
  credential: "Provider credentials",
  model_config: "Model configurations",
  metric_config: "Metric configurations",
  dataset: "Datasets",
  prompt: "Prompts and labels",
  run: "Runs",
  batch: "Batches",
  template: "Templates",
  experiment: "Experiments",
  feedback: "Feedback",
  access: "Refused requests",
};

const familyOf = (action: string): string => action.slice(0, action.indexOf("."));

/** "prompt.label_rolled_back" → "Label rolled back"; "member.added" → "Added". */
export function auditActionLabel(action: string): string {
  const words = action
    .slice(action.indexOf(".") + 1)
    .replace(/^change_/, "change request ")
    .replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface AuditFilterGroup {
  /** The prefix that selects the whole family, e.g. "member.". */
  prefix: string;
  label: string;
  actions: { value: ProjectAuditAction; label: string }[];
}

/** The audit page's filter: one group per family (all of it, or one action), in declaration order. */
export function auditFilterGroups(): AuditFilterGroup[] {
  return (Object.entries(PROJECT_AUDIT_FAMILIES) as [ProjectAuditFamily, string][]).map(
    ([family, label]) => ({
      prefix: `${family}.`,
      label,
      actions: PROJECT_AUDIT_ACTIONS.filter((action) => familyOf(action) === family).map((value) => ({
        value,
        label: auditActionLabel(value),
      })),
    }),
  );
}
