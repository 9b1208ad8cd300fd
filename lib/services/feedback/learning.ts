// Learning from feedback: the corrections people sent about an experiment's prompt become the examples
// of a new dataset version (input: the generation's variables, expected: the correction), and
// "optimize from feedback" starts an optimization run on that version from the version the label
// serves now (the runs service: same checks, same audit).
import { createHash } from "node:crypto";
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError } from "@/lib/core/errors";
import {
  type AuditActor,
  DatasetHasher,
  type Db,
  findDataset,
  getLabel,
  listCorrections,
  writeDatasetVersion,
} from "@/lib/db";
import type { RunSpecInput } from "@/lib/validation/runs";
import { requireExperiment } from "../experiments/manage";
import { requireRole } from "../prompts/access";
import { type RunServiceOptions, startProjectRun } from "../runs/create";

const EXPECTED = "expected";
const SPLITS = { validation: 0.25, test: 0.25, seed: 42 };

/** The dataset the corrections of a task's experiments are collected in. */
export const feedbackDatasetName = (task: string) => `feedback-${task}`.slice(0, 100);

export interface FeedbackDatasetVersion {
  datasetId: string;
  datasetName: string;
  datasetVersionId: string;
  version: number;
  rowCount: number;
  created: boolean;
}

/** A new version of `feedback-<task>` with every correction so far (409 when there is none). */
export async function datasetFromFeedback(
  db: Db,
  access: ProjectAccess,
  experimentId: string,
  actor: AuditActor,
): Promise<FeedbackDatasetVersion> {
  await requireRole(db, access, actor, "editor", {
    operation: "build a dataset from feedback",
    target: experimentId,
  });
  const experiment = await requireExperiment(db, access, experimentId);
  return taskDatasetFromFeedback(
    db,
    access,
    { id: experiment.taskId, name: experiment.taskName },
    `experiment "${experiment.name}"`,
    actor,
  );
}

/**
 * A new version of `feedback-<task>` with every correction sent about the task's generations (409 when
 * there is none). `origin` says in the version's note what asked for it. The caller checks the role.
 */
export async function taskDatasetFromFeedback(
  db: Db,
  access: ProjectAccess,
  task: { id: string; name: string },
  origin: string,
  actor: AuditActor,
): Promise<FeedbackDatasetVersion> {
  const corrections = await listCorrections(db, access.project.id, task.id);
  if (corrections.length === 0)
    throw new ConflictError(
      `no corrections yet for prompt "${task.name}": send feedback with a "correction" about its generations`,
    );
  const inputColumns = [...new Set(corrections.flatMap((c) => Object.keys(c.variables)))].sort();
  const rows = corrections.map((c, i) => ({
    key: c.feedbackId,
    rowNumber: i + 1,
    input: Object.fromEntries(inputColumns.map((name) => [name, String(c.variables[name] ?? "")])),
    expected: c.correction,
  }));
  const hasher = new DatasetHasher();
  for (const row of rows) hasher.add(row);
  const columns = [...inputColumns, EXPECTED];
  const contentHash = hasher.digest({
    columns,
    expectedColumn: EXPECTED,
    inputColumns,
    idColumn: null,
    splits: SPLITS,
  });
  const name = feedbackDatasetName(task.name);
  const existing = await findDataset(db, access.project.id, name);
  const written = await writeDatasetVersion(db, actor, {
    projectId: access.project.id,
    organizationId: access.project.organization.id,
    dataset: existing ? { id: existing.id } : { create: name },
    sourceName: `feedback on ${task.name}`,
    columns,
    expectedColumn: EXPECTED,
    inputColumns,
    idColumn: null,
    splits: SPLITS,
    note: `${rows.length} correction${rows.length === 1 ? "" : "s"} from feedback (${origin})`,
    contentHash: createHash("sha256").update(contentHash).digest("hex"),
    rows: async function* () {
      yield* rows;
    },
  });
  return {
    datasetId: written.datasetId,
    datasetName: written.datasetName,
    datasetVersionId: written.version.id,
    version: written.version.version,
    rowCount: written.version.rowCount,
    created: written.created,
  };
}

export interface OptimizeFromFeedbackInput {
  models?: RunSpecInput["models"];
  metrics?: RunSpecInput["metrics"];
}

/**
 * The dataset from the corrections, then an optimization run on it starting from the version the
 * experiment's label serves now (the winner, once promoted). Defaults: the offline simulator and exact
 * match, so it runs before any provider is configured.
 */
export async function optimizeFromFeedback(
  db: Db,
  access: ProjectAccess,
  experimentId: string,
  input: OptimizeFromFeedbackInput,
  actor: AuditActor,
  options: RunServiceOptions = {},
): Promise<{ runId: string; datasetVersionId: string; promptVersion: number }> {
  const experiment = await requireExperiment(db, access, experimentId);
  const dataset = await datasetFromFeedback(db, access, experimentId, actor);
  const label = await getLabel(db, experiment.taskId, experiment.label);
  const promptVersion = label?.version ?? experiment.variants[0]?.version ?? 1;
  const run = await startProjectRun(
    db,
    access,
    {
      task: experiment.taskName,
      promptVersion,
      datasetVersionId: dataset.datasetVersionId,
      models: input.models ?? { task: "sim:default", optimizer: "sim:default" },
      metrics: input.metrics ?? ["exact_match"],
    },
    actor,
    options,
  );
  return { runId: run.id, datasetVersionId: dataset.datasetVersionId, promptVersion };
}
