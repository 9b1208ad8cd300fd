// Test fixtures for stored runs: the bundled intent task (or a slice of its dataset) stored the way the
// web platform stores tasks, prompt versions and dataset versions, plus a run spec over it.
import path from "node:path";
import {
  type Db,
  ensureProject,
  findOrCreateDatasetVersion,
  findOrCreatePromptVersion,
  upsertTask,
} from "@/lib/db";
import type { RunSpecInput } from "@/lib/validation/runs";
import { loadDataset } from "../dataset-file";
import { promptFromTask } from "../runs/context";
import { loadTaskFile } from "../task-file";

const root = path.resolve(import.meta.dirname, "../../..");

export interface SeededTask {
  projectId: string;
  taskId: string;
  taskName: string;
  datasetVersionId: string;
}

/** Stores the intent example's task, its prompt (version 1) and its first `rows` examples. */
export async function seedIntentTask(
  db: Db,
  options: { rows?: number; project?: string } = {},
): Promise<SeededTask> {
  const loaded = await loadTaskFile(path.join(root, "examples/intent/task.yaml"));
  const prompt = promptFromTask(loaded.task);
  const dataset = await loadDataset(loaded.datasetPath, loaded.task.dataset, ["ticket"]);
  const examples = dataset.examples.slice(0, options.rows ?? dataset.examples.length);
  const project = await ensureProject(db, options.project ?? "default");
  const task = await upsertTask(db, project.id, { name: "intent", description: loaded.task.description });
  await findOrCreatePromptVersion(db, task.id, prompt, { source: "manual" });
  const { datasetVersion } = await findOrCreateDatasetVersion(db, project.id, {
    name: `tickets-${examples.length}.csv`,
    sourceName: "tickets.csv",
    expectedColumn: "intent",
    columns: dataset.columns,
    contentHash: `${dataset.contentHash}:${examples.length}`,
    examples: examples.map((e, i) => ({ key: e.id, rowNumber: i + 1, input: e.input, expected: e.expected })),
  });
  return { projectId: project.id, taskId: task.id, taskName: task.name, datasetVersionId: datasetVersion.id };
}

/** A run spec over a seeded task: `model` for both roles (e.g. "openai-compatible:sim-default"). */
export function intentRunSpec(
  seeded: SeededTask,
  model: string,
  overrides: Partial<RunSpecInput> = {},
): RunSpecInput {
  return {
    task: seeded.taskName,
    datasetVersionId: seeded.datasetVersionId,
    models: { task: { id: model, concurrency: 4 }, optimizer: model },
    metrics: ["exact_match"],
    optimizer: { strategy: "critique-rewrite", candidates: 2, failures: 8 },
    splits: { validation: 0.3, test: 0.3 },
    stop: { maxIterations: 2, patience: 2 },
    // The durability tests check the runners, not the response cache.
    cache: { enabled: false, ttlSeconds: 60 },
    seed: 7,
    ...overrides,
  };
}
