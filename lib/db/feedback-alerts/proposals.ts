// Proposals to optimize a prompt version from its feedback. At most one open proposal per version and
// feedback name, kept by the unique `openKey` ("<versionId>:<name>" while open, null once decided), so
// several app instances checking one database at once never open two. Opening, starting and dismissing
// are each one transaction with its audit entry; deciding is a compare-and-set on the open status.
import type { FeedbackProposalStatus } from "@/lib/validation/feedback-alerts";
import { type AuditActor, audited } from "../audit";
import type { Db } from "../client";
import { trustedCorrection } from "../experiments/feedback";
import { isUniqueViolation } from "../util";

export interface ProposalScope {
  projectId: string;
  organizationId: string;
}

export interface ProposalCounts {
  taskId: string;
  versionId: string;
  feedbackName: string;
  negative: number;
  total: number;
  rate: number;
  threshold: number;
}

export interface FeedbackProposalRecord extends ProposalCounts {
  id: string;
  projectId: string;
  status: FeedbackProposalStatus;
  runId: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  task: string;
  version: number;
}

export const proposalKey = (versionId: string, feedbackName: string) => `${versionId}:${feedbackName}`;

/**
 * Opens a proposal for the version and name (audited "feedback.proposal_created"), or brings the open
 * one's counts up to date. "refreshed" when one was open already (also when a concurrent check opened it
 * first: the unique key decides).
 */
export async function openFeedbackProposal(
  db: Db,
  scope: ProposalScope,
  counts: ProposalCounts,
  actor: AuditActor,
): Promise<"opened" | "refreshed"> {
  const openKey = proposalKey(counts.versionId, counts.feedbackName);
  const numbers = {
    negative: counts.negative,
    total: counts.total,
    rate: counts.rate,
    threshold: counts.threshold,
  };
  const refreshed = await db.feedbackProposal.updateMany({
    where: { openKey, status: "open" },
    data: numbers,
  });
  if (refreshed.count > 0) return "refreshed";
  try {
    await audited(db, actor, async (tx) => {
      const row = await tx.feedbackProposal.create({
        data: { ...counts, projectId: scope.projectId, status: "open", openKey },
      });
      return {
        result: row.id,
        audit: {
          action: "feedback.proposal_created",
          organizationId: scope.organizationId,
          projectId: scope.projectId,
          targetType: "feedback_proposal",
          targetId: row.id,
          targetLabel: counts.feedbackName,
          after: { versionId: counts.versionId, ...numbers },
        },
      };
    });
    return "opened";
  } catch (error) {
    if (isUniqueViolation(error)) return "refreshed";
    throw error;
  }
}

/** Keys ("<versionId>:<name>") of the project's proposals decided since `since`: not proposed again yet. */
export async function recentlyDecidedKeys(db: Db, projectId: string, since: Date): Promise<Set<string>> {
  const rows = await db.feedbackProposal.findMany({
    where: { projectId, status: { not: "open" }, decidedAt: { gte: since } },
    select: { versionId: true, feedbackName: true },
  });
  return new Set(rows.map((row) => proposalKey(row.versionId, row.feedbackName)));
}

export interface ProposalQuery {
  projectId: string;
  taskId?: string;
  status: FeedbackProposalStatus;
  limit: number;
}

/** Newest first, each with its task's name and version number. */
export async function listFeedbackProposals(db: Db, query: ProposalQuery): Promise<FeedbackProposalRecord[]> {
  const rows = await db.feedbackProposal.findMany({
    where: {
      projectId: query.projectId,
      status: query.status,
      ...(query.taskId ? { taskId: query.taskId } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return withVersions(db, rows);
}

export async function getFeedbackProposal(
  db: Db,
  projectId: string,
  id: string,
): Promise<FeedbackProposalRecord | null> {
  const row = await db.feedbackProposal.findFirst({ where: { id, projectId } });
  return row ? ((await withVersions(db, [row]))[0] ?? null) : null;
}

type ProposalRow = NonNullable<Awaited<ReturnType<Db["feedbackProposal"]["findFirst"]>>>;

async function withVersions(db: Db, rows: ProposalRow[]): Promise<FeedbackProposalRecord[]> {
  const versions = await db.promptVersion.findMany({
    where: { id: { in: [...new Set(rows.map((row) => row.versionId))] } },
    select: { id: true, version: true, task: { select: { name: true } } },
  });
  const byId = new Map(versions.map((v) => [v.id, v]));
  return rows.flatMap(({ openKey: _, ...row }) => {
    const version = byId.get(row.versionId);
    // A version is deleted with its task, which takes its proposals' meaning with it.
    if (!version) return [];
    const status = row.status as FeedbackProposalStatus;
    return [{ ...row, status, task: version.task.name, version: version.version }];
  });
}

/** Trusted corrections of each task's generations (what starting a proposal builds its dataset from). */
export async function countTaskCorrections(
  db: Db,
  projectId: string,
  taskIds: string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(taskIds)];
  const counts = await Promise.all(
    unique.map((taskId) => db.feedback.count({ where: trustedCorrection(projectId, taskId) })),
  );
  return new Map(unique.map((taskId, i) => [taskId, counts[i] ?? 0]));
}

const proposalAudit = (scope: ProposalScope, proposal: FeedbackProposalRecord) => ({
  organizationId: scope.organizationId,
  projectId: scope.projectId,
  targetType: "feedback_proposal",
  targetId: proposal.id,
  targetLabel: `${proposal.task} v${proposal.version} ${proposal.feedbackName}`,
});

/** Open → dismissed (audited); false when it was no longer open. */
export function dismissFeedbackProposal(
  db: Db,
  scope: ProposalScope,
  proposal: FeedbackProposalRecord,
  actor: AuditActor,
): Promise<boolean> {
  return audited(db, actor, async (tx) => {
    const changed = await tx.feedbackProposal.updateMany({
      where: { id: proposal.id, status: "open" },
      data: { status: "dismissed", openKey: null, decidedBy: actor.label, decidedAt: new Date() },
    });
    if (changed.count === 0) return { result: false, audit: null };
    return {
      result: true,
      audit: {
        action: "feedback.proposal_dismissed",
        ...proposalAudit(scope, proposal),
        before: { status: "open" },
      },
    };
  });
}

/** Open → started, before its run exists (so two starts never make two runs); false when no longer open. */
export async function claimFeedbackProposal(db: Db, id: string, by: string): Promise<boolean> {
  const changed = await db.feedbackProposal.updateMany({
    where: { id, status: "open" },
    data: { status: "started", openKey: null, decidedBy: by, decidedAt: new Date() },
  });
  return changed.count > 0;
}

/** A claimed proposal whose run could not start goes back to open. */
export async function releaseFeedbackProposal(db: Db, proposal: FeedbackProposalRecord): Promise<void> {
  await db.feedbackProposal.updateMany({
    where: { id: proposal.id, status: "started", runId: null },
    data: {
      status: "open",
      openKey: proposalKey(proposal.versionId, proposal.feedbackName),
      decidedBy: null,
      decidedAt: null,
    },
  });
}

/** Records the run a claimed proposal started (audited "feedback.proposal_started"). */
export function recordProposalRun(
  db: Db,
  scope: ProposalScope,
  proposal: FeedbackProposalRecord,
  runId: string,
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    await tx.feedbackProposal.update({ where: { id: proposal.id }, data: { runId } });
    return {
      result: undefined,
      audit: {
        action: "feedback.proposal_started",
        ...proposalAudit(scope, proposal),
        before: { status: "open" },
        after: { status: "started", runId },
      },
    };
  });
}
