// Test support: the bundled example tasks (examples/*/task.yaml) with their datasets, read through the
// same schema and dataset loader a real run uses.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { loadDataset } from "@/lib/services/dataset-file";
import { type TaskFile, taskFileSchema } from "@/lib/validation/task-file";
import type { HarnessExample, HarnessMetric } from "./harness";
import type { PromptPair } from "./rewrite";

export const EXAMPLE_NAMES = ["sentiment", "intent", "extraction"] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

export interface ExampleTask {
  name: ExampleName;
  task: TaskFile;
  start: PromptPair;
  examples: HarnessExample[];
  metric: HarnessMetric;
}

const ROOT = path.resolve(import.meta.dirname, "../../../examples");

export async function loadExampleTask(name: ExampleName): Promise<ExampleTask> {
  const file = path.join(ROOT, name, "task.yaml");
  const task = taskFileSchema.parse(parse(await readFile(file, "utf8")));
  const variables = [...task.prompt.output.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)].map(
    (m) => m[1] as string,
  );
  const dataset = await loadDataset(path.join(ROOT, name, task.dataset.path), task.dataset, variables);
  const metric = task.metrics[0]?.name === "json_match" ? "json_match" : "exact_match";
  return {
    name,
    task,
    start: { systemPrompt: task.prompt.system, outputPrompt: task.prompt.output },
    examples: dataset.examples,
    metric,
  };
}
