// A version as a task file (YAML) that `strop optimize` runs: the task and the version's prompt, and
// the rest of a run's settings — from the newest run that started from or produced the version (its
// dataset's columns, models, metrics, optimizer, splits, stop rules, budget), else the defaults: the
// version's serving model (or "sim:default") for both models, exact_match, and `dataset.csv`.
import { stringify } from "yaml";
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import { isNeeded } from "@/lib/core/variables";
import {
  type Db,
  getLabel,
  getLatestPromptVersion,
  getModelConfig,
  newestRunOfVersion,
  type PromptVersionRecord,
  type TaskRecord,
} from "@/lib/db";
import { taskFileSourceSchema } from "@/lib/validation/task-file";
import { safeFileName } from "../file-download";
import { requireTask, requireVersion } from "./access";

export interface ExportedTaskFile {
  filename: string;
  version: number;
  yaml: string;
}

/** The version asked for: a number, a label, or the newest. */
async function pickVersion(
  db: Db,
  task: TaskRecord,
  pick: { version?: number; label?: string },
): Promise<PromptVersionRecord> {
  if (pick.version !== undefined) return requireVersion(db, task, pick.version);
  if (pick.label !== undefined && pick.label !== "latest") {
    const label = await getLabel(db, task.id, pick.label);
    if (!label) throw new NotFoundError(`task "${task.name}" has no label "${pick.label}"`);
    return requireVersion(db, task, label.version);
  }
  const latest = await getLatestPromptVersion(db, task.id);
  if (!latest) throw new NotFoundError(`task "${task.name}" has no version yet`);
  return latest;
}

/** The serving model as a task file writes a model: a stored configuration by name, else an id. */
async function servingModel(db: Db, projectId: string, model: string | null) {
  if (model === null) return { id: "sim:default" };
  return (await getModelConfig(db, projectId, model)) ? { config: model } : { id: model };
}

function header(access: ProjectAccess, task: TaskRecord, version: PromptVersionRecord, runId: string | null) {
  const variables = Object.entries(version.variableSchema.properties).map(
    ([name, p]) => `${name} (${p.type}${isNeeded(version.variableSchema, name) ? ", required" : ""})`,
  );
  return [
    `# Strop task file: task "${task.name}", version ${version.version} of project "${access.project.slug}".`,
    runId ? `# Settings from run ${runId}.` : "# Settings: defaults (no run used this version yet).",
    `# Variables: ${variables.join(", ") || "none"}.`,
    `# Run it: strop optimize <this file> --project ${access.project.slug}`,
  ].join("\n");
}

/** The task file of a version (a number, a label, or the newest), ready for `strop optimize`. */
export async function exportTaskFile(
  db: Db,
  access: ProjectAccess,
  name: string,
  pick: { version?: number; label?: string },
  options: { dataset?: string } = {},
): Promise<ExportedTaskFile> {
  const task = await requireTask(db, access, name);
  const version = await pickVersion(db, task, pick);
  const run = await newestRunOfVersion(db, task.id, version.id);
  const model = await servingModel(db, access.project.id, version.model);
  const fromRun = run?.config;
  const datasetPath =
    options.dataset ??
    (fromRun && !fromRun.dataset.path.startsWith("dataset:") ? fromRun.dataset.path : null) ??
    (run ? `${safeFileName(run.datasetName, "dataset")}.csv` : "dataset.csv");
  const file = {
    name: task.name,
    description: task.description,
    prompt: {
      system: version.systemPrompt,
      output: version.outputPrompt,
      demos: version.demos,
      params: version.params,
    },
    dataset: { ...(fromRun?.dataset ?? { expected: "expected" }), path: datasetPath },
    models: fromRun ? fromRun.models : { task: model, optimizer: model },
    metrics: fromRun ? fromRun.metrics : [{ name: "exact_match" }],
    ...(fromRun
      ? {
          optimizer: fromRun.optimizer,
          splits: fromRun.splits,
          acceptance: fromRun.acceptance,
          stop: fromRun.stop,
          budget: fromRun.budget,
          cache: fromRun.cache,
          seed: fromRun.seed,
          errorBudget: fromRun.errorBudget,
        }
      : {}),
  };
  // What `strop optimize` would refuse is not a task file: say so rather than hand it out.
  const checked = taskFileSourceSchema.safeParse(file);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ConflictError(
      `version ${version.version} cannot be written as a task file: ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return {
    filename: `${safeFileName(task.name, "task")}-v${version.version}.yaml`,
    version: version.version,
    yaml: `${header(access, task, version, run?.runId ?? null)}\n${stringify(file, { lineWidth: 0 })}`,
  };
}
