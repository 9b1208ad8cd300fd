// A task file's task and prompt, stored in a project (`strop batch <task-file>`): the task is created or
// updated, and its prompt is a stored version — the same content is the same version, never a copy.
import type { ProjectAccess } from "@/lib/auth/principal";
import { type Db, findOrCreatePromptVersion, upsertTask } from "@/lib/db";
import type { TaskFile } from "@/lib/validation/task-file";
import { promptFromTask } from "./runs/context";

/** The version number of the task file's prompt in the access's project (created when new). */
export async function storeTaskFilePrompt(db: Db, access: ProjectAccess, task: TaskFile): Promise<number> {
  const stored = await upsertTask(db, access.project.id, { name: task.name, description: task.description });
  const { version } = await findOrCreatePromptVersion(db, stored.id, promptFromTask(task), {
    source: "file",
  });
  return version.version;
}
