// Reading and checking a task file (JSON or YAML) before anything runs or is stored.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { InputError } from "@/lib/core/errors";
import { type TaskFile, taskFileSchema } from "@/lib/validation/task-file";

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

export async function loadTaskFile(file: string): Promise<LoadedTaskFile> {
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
  const parsed = taskFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    throw new InputError(
      `${file}: invalid task file\n  ${describeIssues(parsed.error.issues)}`,
      parsed.error.issues,
    );
  }
  return { file, task: parsed.data, datasetPath: path.resolve(path.dirname(file), parsed.data.dataset.path) };
}
