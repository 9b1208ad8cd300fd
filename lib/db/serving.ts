// What the serving API reads and writes: the version a prompt name resolves to — by label (stored
// labels, or `latest`: the newest version) or by number — in one query, and the generations it stores.
import type { ModelParams } from "@/lib/core/types";
import type { VariableSchema } from "@/lib/core/variables";
import { variableSchemaSchema } from "@/lib/validation/prompt-variables";
import { storedGenerationVariablesSchema } from "@/lib/validation/serving";
import { readStored } from "@/lib/validation/stored-document";
import { storedDemosSchema, storedParamsSchema } from "@/lib/validation/stored-state";
import type { Db } from "./client";
import { json } from "./util";

/** How an application names the version it wants. */
export type VersionSelector = { label: string } | { version: number };

/** The label no one stores: it always means the task's newest version. */
export const LATEST_LABEL = "latest";

export interface ServingVersion {
  taskId: string;
  versionId: string;
  version: number;
  systemPrompt: string;
  outputPrompt: string;
  demos: { input: Record<string, string>; output: string }[];
  params: ModelParams;
  /** null: written before typed variables (the template implies the schema). */
  variableSchema: VariableSchema | null;
  /** A model configuration's name or "provider:model"; null: the project's default. */
  model: string | null;
  contentHash: string;
}

/** The version, or which part of the name was not found. */
export type ServingLookup =
  | { found: ServingVersion }
  | { missing: "task" | "label" | "version" | "versions" };

const VERSION_SELECT = {
  id: true,
  taskId: true,
  version: true,
  systemPrompt: true,
  outputPrompt: true,
  demos: true,
  params: true,
  variableSchema: true,
  model: true,
  contentHash: true,
} as const;

const storedVariableSchema = variableSchemaSchema.nullable();

type VersionRow = {
  id: string;
  taskId: string;
  version: number;
  systemPrompt: string;
  outputPrompt: string;
  demos: unknown;
  params: unknown;
  variableSchema: unknown;
  model: string | null;
  contentHash: string;
};

function servingVersion(row: VersionRow): ServingVersion {
  const where = `prompt version ${row.id}`;
  return {
    taskId: row.taskId,
    versionId: row.id,
    version: row.version,
    systemPrompt: row.systemPrompt,
    outputPrompt: row.outputPrompt,
    demos: readStored(storedDemosSchema, row.demos, `${where}: demos`),
    params: readStored(storedParamsSchema, row.params, `${where}: params`),
    variableSchema: readStored(storedVariableSchema, row.variableSchema, `${where}: variableSchema`),
    model: row.model,
    contentHash: row.contentHash,
  };
}

/** The task's version `selector` names, in one round trip (task, label and version together). */
export async function findServingVersion(
  db: Db,
  projectId: string,
  taskName: string,
  selector: VersionSelector,
): Promise<ServingLookup> {
  if ("version" in selector) {
    const task = await db.task.findUnique({
      where: { projectId_name: { projectId, name: taskName } },
      select: { versions: { where: { version: selector.version }, select: VERSION_SELECT } },
    });
    if (!task) return { missing: "task" };
    const row = task.versions[0];
    return row ? { found: servingVersion(row) } : { missing: "version" };
  }
  if (selector.label === LATEST_LABEL) {
    const task = await db.task.findUnique({
      where: { projectId_name: { projectId, name: taskName } },
      select: { versions: { orderBy: { version: "desc" }, take: 1, select: VERSION_SELECT } },
    });
    if (!task) return { missing: "task" };
    const row = task.versions[0];
    return row ? { found: servingVersion(row) } : { missing: "versions" };
  }
  const task = await db.task.findUnique({
    where: { projectId_name: { projectId, name: taskName } },
    select: { labels: { where: { name: selector.label }, select: { version: { select: VERSION_SELECT } } } },
  });
  if (!task) return { missing: "task" };
  const label = task.labels[0];
  return label ? { found: servingVersion(label.version) } : { missing: "label" };
}

export interface NewGeneration {
  projectId: string;
  taskId: string;
  versionId: string;
  label: string | null;
  model: string;
  variables: Record<string, string | number | boolean>;
  output: string | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
  apiKeyId: string | null;
  userId: string | null;
  /** The experiment exposure the version was served under, if any. */
  exposureId?: string | null;
  /** The subject the request named (kept with or without an experiment: later experiments' CUPED reads it). */
  subjectId?: string | null;
}

/** Stores one generation of the serving API (its output or its error) and returns its id. */
export async function recordGeneration(db: Db, input: NewGeneration): Promise<{ id: string }> {
  return db.generation.create({
    data: { ...input, variables: json(input.variables) },
    select: { id: true },
  });
}

export interface GenerationRecord extends NewGeneration {
  id: string;
  createdAt: Date;
}

/** One generation of the project (null when there is none with this id there). */
export async function getGeneration(db: Db, projectId: string, id: string): Promise<GenerationRecord | null> {
  const row = await db.generation.findFirst({ where: { id, projectId } });
  if (!row) return null;
  return {
    ...row,
    variables: readStored(storedGenerationVariablesSchema, row.variables, `generation ${row.id}: variables`),
  };
}
