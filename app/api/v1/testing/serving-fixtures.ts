// Test support for the serving API: a task with versions (one without a declared variable schema, one
// with typed variables and a model) and labels, written straight to the database so that the serving
// tests do not depend on the authoring API.
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db";

export interface ServingVersionSeed {
  system?: string;
  output: string;
  demos?: { input: Record<string, string>; output: string }[];
  params?: Record<string, number>;
  variableSchema?: unknown;
  model?: string | null;
}

export async function seedTask(db: Db, projectId: string, name: string): Promise<string> {
  const task = await db.task.create({ data: { projectId, name, description: "" }, select: { id: true } });
  return task.id;
}

/** Version max + 1 of the task, with this content; returns its id. */
export async function seedVersion(db: Db, taskId: string, seed: ServingVersionSeed): Promise<string> {
  const last = await db.promptVersion.aggregate({ where: { taskId }, _max: { version: true } });
  const content = JSON.stringify(seed);
  const row = await db.promptVersion.create({
    data: {
      taskId,
      version: (last._max.version ?? 0) + 1,
      systemPrompt: seed.system ?? "",
      outputPrompt: seed.output,
      demos: seed.demos ?? [],
      params: seed.params ?? {},
      variables: [],
      contentHash: createHash("sha256").update(content).digest("hex"),
      source: "manual",
      ...(seed.variableSchema !== undefined ? { variableSchema: seed.variableSchema as object } : {}),
      model: seed.model ?? null,
    },
    select: { id: true },
  });
  return row.id;
}

/** Points label `name` of the task at `versionId` (created when missing). */
export async function pointLabel(
  db: Db,
  projectId: string,
  taskId: string,
  name: string,
  versionId: string,
): Promise<void> {
  await db.promptLabel.upsert({
    where: { taskId_name: { taskId, name } },
    create: { projectId, taskId, name, versionId },
    update: { versionId },
  });
}
