// Experiments of a project: create (checked: the versions are the task's, the sample size is planned
// from the minimum detectable effect), list, read with its analyses, start / pause / resume / stop.
// Every change is one audited transaction (lib/db/experiments); the serving path's cache of running
// experiments is told after each commit.
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import { PowerInputError, sampleSizePerVariant } from "@/lib/core/experiments/power";
import {
  type AuditActor,
  changeExperimentStatus,
  countExposures,
  createExperiment,
  type Db,
  type ExperimentChange,
  type ExperimentRecord,
  type ExperimentScope,
  getExperiment,
  getPromptVersion,
  listAnalyses,
  listExperiments,
  listFeedback,
  type StopOutcome,
} from "@/lib/db";
import {
  type CreateExperimentInput,
  type ExperimentDetail,
  type ExperimentStatus,
  type ExperimentView,
  metricKind,
} from "@/lib/validation/experiments";
import type { FeedbackView } from "@/lib/validation/feedback";
import { fieldError } from "@/lib/validation/parse";
import { feedbackView } from "../feedback/record";
import { requireRole, requireTask } from "../prompts/access";
import { runningExperimentsChanged } from "./active-cache";
import { experimentDetailView, experimentView } from "./views";

export function experimentScope(access: ProjectAccess): ExperimentScope {
  return { projectId: access.project.id, organizationId: access.project.organization.id };
}

/** Subjects each variant needs for the decision rule to detect the effect with 80% power. */
export function plannedSampleSize(
  input: Pick<
    CreateExperimentInput,
    "metric" | "baseline" | "minimumDetectableEffect" | "standardDeviation" | "alpha"
  > & { variants: number },
): number {
  try {
    return sampleSizePerVariant({
      kind: metricKind(input.metric),
      baseline: input.baseline,
      minimumDetectableEffect: input.minimumDetectableEffect,
      standardDeviation: input.standardDeviation,
      alpha: input.alpha,
      variants: input.variants,
    });
  } catch (error) {
    if (error instanceof PowerInputError) throw fieldError("body", error.field, error.message);
    throw error;
  }
}

export async function requireExperiment(
  db: Db,
  access: ProjectAccess,
  id: string,
): Promise<ExperimentRecord> {
  const found = await getExperiment(db, access.project.id, id);
  if (!found) throw new NotFoundError(`no experiment "${id}" in this project`);
  return found;
}

export async function createProjectExperiment(
  db: Db,
  access: ProjectAccess,
  input: CreateExperimentInput,
  actor: AuditActor,
): Promise<ExperimentView> {
  await requireRole(db, access, actor, "editor", { operation: "create an experiment", target: input.name });
  const task = await requireTask(db, access, input.task);
  const variants = [];
  for (const [i, variant] of input.variants.entries()) {
    const version = await getPromptVersion(db, task.id, variant.version);
    if (!version)
      throw fieldError(
        "body",
        `variants.${i}.version`,
        `prompt "${task.name}" has no version ${variant.version}`,
      );
    variants.push({ versionId: version.id, weight: variant.weight });
  }
  const planned = plannedSampleSize({ ...input, variants: variants.length });
  const record = await createExperiment(db, actor, experimentScope(access), {
    taskId: task.id,
    name: input.name,
    label: input.label,
    mode: input.mode,
    metric: input.metric,
    guardrails: input.guardrails,
    alpha: input.alpha,
    baseline: input.baseline,
    minimumDetectableEffect: input.minimumDetectableEffect,
    standardDeviation: input.standardDeviation ?? null,
    plannedSamplePerVariant: planned,
    maxDurationHours: input.maxDurationHours,
    variants,
  });
  return experimentView(record, new Map());
}

export async function listProjectExperiments(
  db: Db,
  access: ProjectAccess,
  filter: { status?: ExperimentStatus } = {},
): Promise<{ items: ExperimentView[] }> {
  const records = await listExperiments(db, access.project.id, filter);
  const items = await Promise.all(
    records.map(async (r) => experimentView(r, await countExposures(db, r.id))),
  );
  return { items };
}

export async function getProjectExperiment(
  db: Db,
  access: ProjectAccess,
  id: string,
): Promise<ExperimentDetail> {
  const record = await requireExperiment(db, access, id);
  const [exposures, analyses] = await Promise.all([countExposures(db, id), listAnalyses(db, id)]);
  return experimentDetailView(record, exposures, analyses);
}

const OPERATIONS: Record<ExperimentChange, string> = {
  started: "start an experiment",
  paused: "pause an experiment",
  resumed: "resume an experiment",
  stopped: "stop an experiment",
};

/** Applies a status change as `access` (editors), or as the analysis when it decided (`outcome`). */
export async function changeProjectExperiment(
  db: Db,
  access: ProjectAccess,
  id: string,
  change: ExperimentChange,
  actor: AuditActor,
  outcome?: StopOutcome,
): Promise<ExperimentView> {
  await requireRole(db, access, actor, "editor", { operation: OPERATIONS[change], target: id });
  const record = await changeExperimentStatus(db, actor, experimentScope(access), id, change, outcome);
  runningExperimentsChanged({ projectId: access.project.id, taskName: record.taskName });
  return experimentView(record, await countExposures(db, id));
}

/** The experiment's feedback stream, newest first. */
export async function listExperimentFeedback(
  db: Db,
  access: ProjectAccess,
  id: string,
  limit: number,
): Promise<{ items: FeedbackView[] }> {
  await requireExperiment(db, access, id);
  const records = await listFeedback(db, { projectId: access.project.id, experimentId: id, limit });
  return { items: records.map(feedbackView) };
}
