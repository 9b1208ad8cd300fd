// Test support for the repository tests: a prompt, examples, a scored example, and a task with a
// baseline version, a dataset version and a queued run, on any database.
import type { PromptState, ScoredExample } from "@/lib/core/types";
import { storedRunConfig } from "@/lib/validation/testing/stored-fixtures";
import type { Db } from "../client";
import { type ExampleInput, findOrCreateDatasetVersion } from "../datasets";
import { upsertTask } from "../prompts/tasks";
import { findOrCreatePromptVersion } from "../prompts/versions";
import { createRun } from "../runs";

export const prompt = (system: string, extra: Partial<PromptState> = {}): PromptState => ({
  systemPrompt: system,
  outputPrompt: "Review: {{text}}\nLanguage: {{ lang }}",
  demos: [{ input: { text: "great", lang: "en" }, output: "positive" }],
  params: { temperature: 0, maxOutputTokens: 64 },
  ...extra,
});

export const examples = (n: number, prefix = "ex"): ExampleInput[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `${prefix}-${i + 1}`,
    rowNumber: i + 1,
    input: { text: `text ${i + 1}`, lang: "en" },
    expected: i % 2 ? "positive" : "negative",
  }));

export const scored = (id: string, score: number, output = "positive"): ScoredExample => ({
  exampleId: id,
  output,
  error: null,
  usage: { inputTokens: 10, outputTokens: 2 },
  costUsd: 0.0001,
  latencyMs: 12.4,
  cached: false,
  score,
  metrics: { exact: { score, reason: "compared" } },
});

/** A task named `name` with a baseline version, a 3-example dataset version and a queued run. */
export async function runFixture(
  db: Db,
  projectId: string,
  name: string,
  kind: "optimize" | "eval" = "optimize",
) {
  const task = await upsertTask(db, projectId, { name, description: "" });
  const { version } = await findOrCreatePromptVersion(db, task.id, prompt("base"), { source: "file" });
  const { datasetVersion } = await findOrCreateDatasetVersion(db, projectId, {
    name: `${name}-data`,
    sourceName: "data.jsonl",
    expectedColumn: "label",
    columns: ["text", "lang", "label"],
    contentHash: `hash-${name}`,
    examples: examples(3),
  });
  const run = await createRun(db, {
    projectId,
    taskId: task.id,
    kind,
    baselineVersionId: version.id,
    datasetVersionId: datasetVersion.id,
    config: storedRunConfig({ stop: { maxIterations: 3, patience: 2 } }),
    seed: 7,
  });
  return { task, version, datasetVersion, run };
}
