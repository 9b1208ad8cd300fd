// Test support for the prompt registry's route tests: a task written through the authoring service,
// dataset versions, and succeeded runs that evaluated given versions (for scores and change requests).
import { projectAccess } from "@/lib/auth/access";
import { actorOf } from "@/lib/auth/principal";
import { createRun, findOrCreateDatasetVersion, finishRun } from "@/lib/db";
import type { ApiWorld } from "@/lib/http/testing";
import { createPromptTask, createTaskVersion } from "@/lib/services/prompts";
import type { NewVersionInput } from "@/lib/validation/prompt-authoring";
import { newVersionBodySchema } from "@/lib/validation/prompt-authoring";
import {
  evaluationReport,
  interval,
  optimizationReport,
  storedRunConfig,
} from "@/lib/validation/testing/stored-fixtures";

export const UNTYPED: NewVersionInput = {
  systemPrompt: "You sort support tickets.",
  outputPrompt: "Ticket: {{ticket}}",
  params: { temperature: 0 },
  message: "First cut",
};

/** The same template with a second variable: `tone` (typed, with a default) is not required. */
export const TYPED: NewVersionInput = {
  systemPrompt: "You sort support tickets.",
  outputPrompt: "Ticket: {{ticket}}\nTone: {{tone}}\nLimit: {{limit}}",
  params: { temperature: 0.2 },
  variables: {
    type: "object",
    properties: {
      ticket: { type: "string", description: "The ticket text" },
      tone: { type: "string", enum: ["formal", "casual"], default: "formal" },
      limit: { type: "integer", default: 3 },
    },
    required: ["ticket"],
  },
  message: "Typed variables",
};

/** Needs a second variable from callers: moving a label from UNTYPED to it changes what they send. */
export const NEEDS_LANG: NewVersionInput = {
  systemPrompt: "You sort support tickets.",
  outputPrompt: "Ticket: {{ticket}} ({{lang}})",
  message: "Language too",
};

/** A task with these versions (1, 2, …), written by the project's owner through the service. */
export async function authorTask(w: ApiWorld, name: string, versions: NewVersionInput[]) {
  const access = await projectAccess(w.db, w.users.owner.principal, "alpha");
  const actor = actorOf(w.users.owner.principal);
  const [first, ...rest] = versions.map((v) => newVersionBodySchema.parse(v));
  const created = await createPromptTask(w.db, access, { name, description: "", version: first }, actor);
  for (const version of rest) await createTaskVersion(w.db, access, name, version, actor);
  const rows = await w.db.promptVersion.findMany({
    where: { taskId: created.task.id },
    orderBy: { version: "asc" },
  });
  return { taskId: created.task.id, versionIds: rows.map((r) => r.id) };
}

export async function datasetVersion(w: ApiWorld, name: string): Promise<string> {
  const { datasetVersion } = await findOrCreateDatasetVersion(w.db, w.projects.alpha.id, {
    name,
    sourceName: `${name}.csv`,
    expectedColumn: "expected",
    columns: ["ticket", "expected"],
    contentHash: `hash-${name}`,
    examples: [{ key: "1", rowNumber: 1, input: { ticket: "hi" }, expected: "greeting" }],
  });
  return datasetVersion.id;
}

/** A succeeded evaluation of `versionId` (score `mean`), or an optimization from it to `winnerId`. */
export async function succeededRun(
  w: ApiWorld,
  input: {
    taskId: string;
    datasetVersionId: string;
    versionId: string;
    score: number;
    winner?: { versionId: string; score: number };
  },
): Promise<string> {
  const kind = input.winner ? "optimize" : "eval";
  const run = await createRun(w.db, {
    projectId: w.projects.alpha.id,
    taskId: input.taskId,
    kind,
    baselineVersionId: input.versionId,
    datasetVersionId: input.datasetVersionId,
    config: storedRunConfig(),
    seed: 1,
  });
  await finishRun(w.db, run.id, {
    status: "succeeded",
    report: input.winner
      ? optimizationReport({ test: { baseline: interval(input.score), best: interval(input.winner.score) } })
      : evaluationReport({ score: interval(input.score), metrics: { exact_match: input.score } }),
    bestVersionId: input.winner?.versionId ?? input.versionId,
  });
  return run.id;
}
