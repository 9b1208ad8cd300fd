// Step checkpoints: the stored result of each finished workflow step, so a resumed run skips it.
import type { Db } from "./client";
import { retryOnUniqueViolation } from "./util";

/**
 * The stored result of step `stepId`, or undefined when the step never finished. Values round-trip
 * through JSON (a step that returned undefined reads back as null).
 */
export async function getCheckpoint<T = unknown>(
  db: Db,
  runId: string,
  stepId: string,
): Promise<T | undefined> {
  const row = await db.stepCheckpoint.findUnique({
    where: { runId_stepId: { runId, stepId } },
    select: { result: true },
  });
  return row ? (JSON.parse(row.result) as T) : undefined;
}

/** Stores the result of step `stepId`; saving the same step again replaces it (never duplicates). */
export async function saveCheckpoint(db: Db, runId: string, stepId: string, value: unknown): Promise<void> {
  const result = JSON.stringify(value) ?? "null";
  await retryOnUniqueViolation(() =>
    db.stepCheckpoint.upsert({
      where: { runId_stepId: { runId, stepId } },
      create: { runId, stepId, result },
      update: { result },
    }),
  );
}

export function countCheckpoints(db: Db, runId: string): Promise<number> {
  return db.stepCheckpoint.count({ where: { runId } });
}
