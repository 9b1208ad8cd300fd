import type { Db } from "../client";
import { retryOnUniqueViolation } from "../util";

export interface TaskRecord {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: Date;
}

/** Creates the task, or updates the description of the task with this name. */
export function upsertTask(
  db: Db,
  projectId: string,
  input: { name: string; description: string },
): Promise<TaskRecord> {
  return retryOnUniqueViolation(() =>
    db.task.upsert({
      where: { projectId_name: { projectId, name: input.name } },
      create: { projectId, name: input.name, description: input.description },
      update: { description: input.description },
    }),
  );
}

export function getTaskByName(db: Db, projectId: string, name: string): Promise<TaskRecord | null> {
  return db.task.findUnique({ where: { projectId_name: { projectId, name } } });
}

export function getTaskById(db: Db, id: string): Promise<TaskRecord | null> {
  return db.task.findUnique({ where: { id } });
}
