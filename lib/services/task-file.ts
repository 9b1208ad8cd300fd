// Reading and checking a task file (JSON or YAML) before anything runs or is stored.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { InputError } from "@/lib/core/errors";
import type { Db } from "@/lib/db";
import { isConfigRef, type TaskFile, taskFileSchema, taskFileSourceSchema } from "@/lib/validation/task-file";
import { resolveTaskFileConfigs } from "./settings";

export interface LoadedTaskFile {
  file: string;
  task: TaskFile;
  /** The dataset path resolved against the task file's folder. */
  datasetPath: string;
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.join(".") : "(top level)";
      if (issue.code === "unrecognized_keys")
        return `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
      return `${where}: ${issue.message}`;
    })
    .join("\n  ");
}

/** Where a task file's `{ config: "<name>" }` references are looked up (the CLI: project "default"). */
export interface StoredConfigs {
  db: Db;
  /** Project slug; default "default". */
  project?: string;
}

function hasConfigRefs(data: unknown): boolean {
  const task = data as { models?: { task?: unknown; optimizer?: unknown }; metrics?: unknown } | null;
  const metrics = Array.isArray(task?.metrics) ? task.metrics : [];
  return [task?.models?.task, task?.models?.optimizer, ...metrics].some(isConfigRef);
}

function invalid(file: string, issues: readonly z.core.$ZodIssue[]): InputError {
  return new InputError(`${file}: invalid task file\n  ${describeIssues(issues)}`, issues);
}

/**
 * Replaces the stored configurations a task file names with their content; without `configs` (no
 * database) such a file is refused, naming the field.
 */
async function resolveConfigRefs(
  file: string,
  data: unknown,
  configs: StoredConfigs | undefined,
): Promise<unknown> {
  const source = taskFileSourceSchema.safeParse(data);
  if (!source.success) throw invalid(file, source.error.issues);
  if (!configs)
    throw new InputError(`${file}: models/metrics name stored configurations, which need the database`);
  const { task, issues } = await resolveTaskFileConfigs(
    configs.db,
    configs.project ?? "default",
    source.data,
  );
  if (issues.length > 0) {
    throw new InputError(
      `${file}: invalid task file\n  ${issues.map((i) => `${i.path}: ${i.message}`).join("\n  ")}`,
      issues,
    );
  }
  return task;
}

export async function loadTaskFile(file: string, configs?: StoredConfigs): Promise<LoadedTaskFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(
      `${file}: cannot read the task file (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let data: unknown;
  try {
    data = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(
      `${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`,
    );
  }
  if (hasConfigRefs(data)) data = await resolveConfigRefs(file, data, configs);
  const parsed = taskFileSchema.safeParse(data ?? {});
  if (!parsed.success) throw invalid(file, parsed.error.issues);
  return { file, task: parsed.data, datasetPath: path.resolve(path.dirname(file), parsed.data.dataset.path) };
}
