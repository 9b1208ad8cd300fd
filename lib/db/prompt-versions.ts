// Prompt versions: immutable, numbered 1, 2, 3… per task. There is deliberately no update function.

import { promptVariables } from "@/lib/core/prompt";
import type { FewShotDemo, ModelParams, PromptState } from "@/lib/core/types";
import type { Db, Tx } from "./client";
import type { PromptVersion } from "./generated/sqlite/client";
import { canonicalJson, json, retryOnUniqueViolation, sha256 } from "./util";

export type PromptSource = "file" | "optimization" | "manual";

export interface PromptVersionMeta {
  source: PromptSource;
  /** The run that produced this version (source "optimization"). */
  runId?: string | null;
  note?: string;
}

export interface PromptVersionRecord extends PromptState {
  id: string;
  taskId: string;
  version: number;
  /** The `{{variables}}` of the output prompt (the template), in order of first use. */
  variables: string[];
  contentHash: string;
  source: PromptSource;
  runId: string | null;
  note: string;
  createdAt: Date;
}

/** sha256 of the canonical JSON of the content: equal content, equal hash. */
export function promptContentHash(content: PromptState): string {
  return sha256(
    canonicalJson({
      systemPrompt: content.systemPrompt,
      outputPrompt: content.outputPrompt,
      demos: content.demos,
      params: content.params,
    }),
  );
}

function toRecord(row: PromptVersion): PromptVersionRecord {
  return {
    id: row.id,
    taskId: row.taskId,
    version: row.version,
    systemPrompt: row.systemPrompt,
    outputPrompt: row.outputPrompt,
    demos: row.demos as unknown as FewShotDemo[],
    params: row.params as ModelParams,
    variables: row.variables as string[],
    contentHash: row.contentHash,
    source: row.source as PromptSource,
    runId: row.runId,
    note: row.note,
    createdAt: row.createdAt,
  };
}

/**
 * Writes a version inside the caller's transaction: locks the task row, reuses the newest version with
 * the same content when asked, else numbers a new one max + 1. Callers retry on a unique violation.
 */
async function writeVersion(
  tx: Tx,
  taskId: string,
  content: PromptState,
  meta: PromptVersionMeta,
  reuseSameContent: boolean,
): Promise<{ version: PromptVersionRecord; created: boolean }> {
  const contentHash = promptContentHash(content);
  // Writing the task row first locks it (PostgreSQL row lock, SQLite write lock): concurrent writers
  // of the same task queue here, so the dedupe lookup and the max+1 below see each other's versions.
  // A lost race on the unique (taskId, version) still retries the whole transaction.
  await tx.task.update({ where: { id: taskId }, data: { updatedAt: new Date() }, select: { id: true } });
  if (reuseSameContent) {
    const same = await tx.promptVersion.findFirst({
      where: { taskId, contentHash },
      orderBy: { version: "desc" },
    });
    if (same) return { version: toRecord(same), created: false };
  }
  const last = await tx.promptVersion.aggregate({ where: { taskId }, _max: { version: true } });
  const row = await tx.promptVersion.create({
    data: {
      taskId,
      version: (last._max.version ?? 0) + 1,
      systemPrompt: content.systemPrompt,
      outputPrompt: content.outputPrompt,
      demos: json(content.demos),
      params: json(content.params),
      variables: json(promptVariables(content)),
      contentHash,
      source: meta.source,
      runId: meta.runId ?? null,
      note: meta.note ?? "",
    },
  });
  return { version: toRecord(row), created: true };
}

function insertVersion(
  db: Db,
  taskId: string,
  content: PromptState,
  meta: PromptVersionMeta,
  reuseSameContent: boolean,
): Promise<{ version: PromptVersionRecord; created: boolean }> {
  return retryOnUniqueViolation(() =>
    db.$transaction((tx) => writeVersion(tx, taskId, content, meta, reuseSameContent)),
  );
}

/**
 * `createPromptVersion` inside the caller's transaction, so the version commits together with the
 * caller's other writes (e.g. a run's saved winner and its audit entry). Wrap the transaction in
 * `retryOnUniqueViolation`: two writers may number the same version.
 */
export async function createPromptVersionIn(
  tx: Tx,
  taskId: string,
  content: PromptState,
  meta: PromptVersionMeta,
): Promise<PromptVersionRecord> {
  return (await writeVersion(tx, taskId, content, meta, false)).version;
}

/** The newest version with exactly this content, or a new version (max + 1) holding it. */
export function findOrCreatePromptVersion(
  db: Db,
  taskId: string,
  content: PromptState,
  meta: PromptVersionMeta,
): Promise<{ version: PromptVersionRecord; created: boolean }> {
  return insertVersion(db, taskId, content, meta, true);
}

/** Always a new version (max + 1), even when an existing version has the same content. */
export async function createPromptVersion(
  db: Db,
  taskId: string,
  content: PromptState,
  meta: PromptVersionMeta,
): Promise<PromptVersionRecord> {
  return (await insertVersion(db, taskId, content, meta, false)).version;
}

export async function getPromptVersion(
  db: Db,
  taskId: string,
  version: number,
): Promise<PromptVersionRecord | null> {
  const row = await db.promptVersion.findUnique({ where: { taskId_version: { taskId, version } } });
  return row ? toRecord(row) : null;
}

export async function getPromptVersionById(db: Db, id: string): Promise<PromptVersionRecord | null> {
  const row = await db.promptVersion.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}

/** All versions of a task, oldest (version 1) first. */
export async function listPromptVersions(db: Db, taskId: string): Promise<PromptVersionRecord[]> {
  const rows = await db.promptVersion.findMany({ where: { taskId }, orderBy: { version: "asc" } });
  return rows.map(toRecord);
}

/** The newest version of a task, or null when it has none. */
export async function getLatestPromptVersion(db: Db, taskId: string): Promise<PromptVersionRecord | null> {
  const row = await db.promptVersion.findFirst({ where: { taskId }, orderBy: { version: "desc" } });
  return row ? toRecord(row) : null;
}

/** Maps a stored row to the record (for repositories that select versions themselves). */
export { toRecord as promptVersionRecord };
