// Prompt versions: immutable, numbered 1, 2, 3… per task. There is deliberately no update function.

import { promptVariables } from "@/lib/core/prompt";
import type { PromptState } from "@/lib/core/types";
import { effectiveVariableSchema, type VariableSchema } from "@/lib/core/variables";
import { variableSchemaSchema } from "@/lib/validation/prompt-variables";
import { type PromptSource, promptSourceSchema } from "@/lib/validation/prompts";
import { readStored } from "@/lib/validation/stored-document";
import { storedDemosSchema, storedNamesSchema, storedParamsSchema } from "@/lib/validation/stored-state";
import type { Db, Tx } from "../client";
import type { PromptVersion } from "../generated/sqlite/client";
import { canonicalJson, json, jsonOrNull, retryOnUniqueViolation, sha256 } from "../util";

export type { PromptSource };

export const readPromptSource = (value: string, versionId: string): PromptSource =>
  readStored(promptSourceSchema, value, `prompt version ${versionId}: source`);

export interface PromptVersionMeta {
  source: PromptSource;
  /** The run that produced this version (source "optimization"). */
  runId?: string | null;
  /** The version's message (stored as `note`). */
  note?: string;
  /** Declared variables; null/absent: derived from the template (runs, task files). */
  variableSchema?: VariableSchema | null;
  /** The serving model (a model configuration's name or "provider:model"); null: the default. */
  model?: string | null;
  /** Who wrote it (email or API key prefix); null for runs and the CLI. */
  createdBy?: string | null;
}

/** What a version holds besides its prompt: declared variables and the serving model. */
export interface VersionExtras {
  variableSchema: VariableSchema | null;
  model: string | null;
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
  /** Why it was written (its commit message); `note` is the same text under its former name. */
  message: string;
  note: string;
  /** The declared schema, else the one the template implies (`variablesDeclared` false). */
  variableSchema: VariableSchema;
  variablesDeclared: boolean;
  model: string | null;
  createdBy: string | null;
  createdAt: Date;
}

/**
 * sha256 of the canonical JSON of the content: equal content, equal hash. Declared variables and the
 * serving model count only when set, so versions without them keep the hash they always had (and a
 * task file's prompt is the same version as before).
 */
export function promptContentHash(content: PromptState, extras: Partial<VersionExtras> = {}): string {
  return sha256(
    canonicalJson({
      systemPrompt: content.systemPrompt,
      outputPrompt: content.outputPrompt,
      demos: content.demos,
      params: content.params,
      ...(extras.variableSchema ? { variableSchema: extras.variableSchema } : {}),
      ...(extras.model ? { model: extras.model } : {}),
    }),
  );
}

function toRecord(row: PromptVersion): PromptVersionRecord {
  const declared =
    row.variableSchema === null
      ? null
      : readStored(variableSchemaSchema, row.variableSchema, `prompt version ${row.id}: variableSchema`);
  return {
    id: row.id,
    taskId: row.taskId,
    version: row.version,
    systemPrompt: row.systemPrompt,
    outputPrompt: row.outputPrompt,
    demos: readStored(storedDemosSchema, row.demos, `prompt version ${row.id}: demos`),
    params: readStored(storedParamsSchema, row.params, `prompt version ${row.id}: params`),
    variables: readStored(storedNamesSchema, row.variables, `prompt version ${row.id}: variables`),
    contentHash: row.contentHash,
    source: readPromptSource(row.source, row.id),
    runId: row.runId,
    message: row.note,
    note: row.note,
    variableSchema: effectiveVariableSchema(declared, row),
    variablesDeclared: declared !== null,
    model: row.model,
    createdBy: row.createdBy,
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
  const contentHash = promptContentHash(content, meta);
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
      variableSchema: jsonOrNull(meta.variableSchema),
      model: meta.model ?? null,
      createdBy: meta.createdBy ?? null,
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
