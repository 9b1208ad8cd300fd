// Acting on proposals: any member lists them; an editor starts one (the "optimize from feedback" path: a
// new version of the `feedback-<task>` dataset from the corrections, then an optimization run starting
// from the judged version) or dismisses it. Either is a compare-and-set on "open": 409 once decided.
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import {
  type AuditActor,
  claimFeedbackProposal,
  countTaskCorrections,
  type Db,
  dismissFeedbackProposal,
  type FeedbackProposalRecord,
  getFeedbackAlert,
  getFeedbackProposal,
  getTaskByName,
  listFeedbackProposals,
  recordProposalRun,
  releaseFeedbackProposal,
} from "@/lib/db";
import type {
  FeedbackProposal,
  FeedbackProposalList,
  FeedbackProposalStatus,
  StartFeedbackProposalBody,
} from "@/lib/validation/feedback-alerts";
import { taskDatasetFromFeedback } from "../feedback/learning";
import { requireRole } from "../prompts/access";
import { type RunServiceOptions, startProjectRun } from "../runs/create";

/** Where reviewers add corrections: the version's generations with negative feedback. */
export function negativeGenerationsPath(project: string, task: string, version: number): string {
  return `/projects/${project}/prompts/${encodeURIComponent(task)}/generations?version=${version}&feedback=negative`;
}

async function views(
  db: Db,
  access: ProjectAccess,
  records: FeedbackProposalRecord[],
): Promise<FeedbackProposal[]> {
  const corrections = await countTaskCorrections(
    db,
    access.project.id,
    records.map((r) => r.taskId),
  );
  return records.map((r) => ({
    id: r.id,
    task: r.task,
    version: r.version,
    feedbackName: r.feedbackName,
    negative: r.negative,
    total: r.total,
    rate: r.rate,
    threshold: r.threshold,
    status: r.status,
    runId: r.runId,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    createdAt: r.createdAt,
    corrections: corrections.get(r.taskId) ?? 0,
  }));
}

export async function listProjectFeedbackProposals(
  db: Db,
  access: ProjectAccess,
  query: { task?: string; status?: FeedbackProposalStatus; limit: number },
): Promise<FeedbackProposalList> {
  const { settings } = await getFeedbackAlert(db, access.project.id);
  let taskId: string | undefined;
  if (query.task !== undefined) {
    const task = await getTaskByName(db, access.project.id, query.task);
    if (!task) throw new NotFoundError(`no task named "${query.task}" in this project`);
    taskId = task.id;
  }
  const records = await listFeedbackProposals(db, {
    projectId: access.project.id,
    taskId,
    status: query.status ?? "open",
    limit: query.limit,
  });
  return { items: await views(db, access, records), windowDays: settings.windowDays };
}

async function requireProposal(db: Db, access: ProjectAccess, id: string): Promise<FeedbackProposalRecord> {
  const proposal = await getFeedbackProposal(db, access.project.id, id);
  if (!proposal) throw new NotFoundError(`no feedback proposal "${id}" in this project`);
  return proposal;
}

const notOpen = (proposal: FeedbackProposalRecord) =>
  new ConflictError(`this proposal was ${proposal.status} already (by ${proposal.decidedBy ?? "someone"})`, {
    status: proposal.status,
  });

async function viewOf(db: Db, access: ProjectAccess, id: string): Promise<FeedbackProposal> {
  const [view] = await views(db, access, [await requireProposal(db, access, id)]);
  if (!view) throw new NotFoundError(`no feedback proposal "${id}" in this project`);
  return view;
}

export async function dismissProjectFeedbackProposal(
  db: Db,
  access: ProjectAccess,
  id: string,
  actor: AuditActor,
): Promise<FeedbackProposal> {
  await requireRole(db, access, actor, "editor", { operation: "dismiss a feedback proposal", target: id });
  const proposal = await requireProposal(db, access, id);
  if (proposal.status !== "open") throw notOpen(proposal);
  const scope = { projectId: access.project.id, organizationId: access.project.organization.id };
  if (!(await dismissFeedbackProposal(db, scope, proposal, actor)))
    throw notOpen(await requireProposal(db, access, id));
  return viewOf(db, access, id);
}

/**
 * Optimize from feedback: claims the open proposal, builds the dataset from the task's corrections and
 * starts a run from the judged version (models and metrics default to the offline simulator and
 * exact_match). Without corrections: 409 saying where reviewers add them, and the proposal stays open.
 */
export async function startProjectFeedbackProposal(
  db: Db,
  access: ProjectAccess,
  id: string,
  body: StartFeedbackProposalBody,
  actor: AuditActor,
  options: RunServiceOptions = {},
): Promise<{ proposal: FeedbackProposal; runId: string; datasetVersionId: string; promptVersion: number }> {
  await requireRole(db, access, actor, "editor", { operation: "start a feedback proposal", target: id });
  const proposal = await requireProposal(db, access, id);
  if (proposal.status !== "open") throw notOpen(proposal);
  const corrections = (await countTaskCorrections(db, access.project.id, [proposal.taskId])).get(
    proposal.taskId,
  );
  if (!corrections) {
    const path = negativeGenerationsPath(access.project.slug, proposal.task, proposal.version);
    throw new ConflictError(
      `no corrections yet for prompt "${proposal.task}": a run needs examples — reviewers add corrections to ` +
        `version ${proposal.version}'s generations with negative feedback (${path})`,
      { generationsPath: path },
    );
  }
  if (!(await claimFeedbackProposal(db, id, actor.label)))
    throw notOpen(await requireProposal(db, access, id));
  let started: { runId: string; datasetVersionId: string };
  try {
    const dataset = await taskDatasetFromFeedback(
      db,
      access,
      { id: proposal.taskId, name: proposal.task },
      `proposal: version ${proposal.version}, ${proposal.feedbackName}`,
      actor,
    );
    const run = await startProjectRun(
      db,
      access,
      {
        task: proposal.task,
        promptVersion: proposal.version,
        datasetVersionId: dataset.datasetVersionId,
        models: body.models ?? { task: "sim:default", optimizer: "sim:default" },
        metrics: body.metrics ?? ["exact_match"],
      },
      actor,
      options,
    );
    started = { runId: run.id, datasetVersionId: dataset.datasetVersionId };
  } catch (error) {
    await releaseFeedbackProposal(db, proposal);
    throw error;
  }
  const scope = { projectId: access.project.id, organizationId: access.project.organization.id };
  await recordProposalRun(db, scope, proposal, started.runId, actor);
  return { proposal: await viewOf(db, access, id), ...started, promptVersion: proposal.version };
}
