// What a run spec and a batch spec name, resolved the same way: a task by id or name in the project, a
// model by configuration name or "provider:model" id, and the model's credential. Each throws a
// `SpecRefProblem` saying what is wrong; the caller turns it into bad input naming its own field (any
// other error, e.g. from the database, stays what it is).
import { type Db, getModelConfig, getTaskById, getTaskByName } from "@/lib/db";
import { parseModelId } from "@/lib/llm/model-id";
import { modelConfigForTask } from "./settings";

export class SpecRefProblem extends Error {}

/** `fn`'s error as a SpecRefProblem with the same message. */
function problem<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new SpecRefProblem((error as Error).message);
  }
}

/** The project's task with id `ref`, else named `ref`. */
export async function findProjectTask(db: Db, projectId: string, ref: string) {
  const byId = await getTaskById(db, ref);
  if (byId && byId.projectId === projectId) return byId;
  const byName = await getTaskByName(db, projectId, ref);
  if (!byName) throw new SpecRefProblem(`no task named (or with id) "${ref}" in this project`);
  return byName;
}

/** A "provider:model" id this build knows. */
export function checkModelId(id: string): void {
  problem(() => parseModelId(id));
}

/**
 * A model reference as a (not yet validated) model configuration: a stored configuration's every field
 * (rate limits, time limit, retries…), `{ id }` for a "provider:model" id; an inline one as it is.
 */
export async function modelFromRef(db: Db, projectId: string, ref: unknown): Promise<unknown> {
  if (typeof ref !== "string") return ref;
  const stored = await getModelConfig(db, projectId, ref);
  if (stored) return modelConfigForTask(stored);
  if (!ref.includes(":"))
    throw new SpecRefProblem(`no model configuration named "${ref}" (and not a "provider:model" id)`);
  checkModelId(ref);
  return { id: ref };
}
