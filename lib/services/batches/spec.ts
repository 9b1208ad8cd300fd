// Checking a batch spec: its fields (zod), then what they name — the task, its prompt version (which
// must use a {{variable}}), the model and its credentials. Any problem is an InputError naming the field
// (`model.concurrency`, or the CLI's own flag name through `relabel`).
import { InputError } from "@/lib/core/errors";
import { promptVariables } from "@/lib/core/prompt";
import type { PromptState } from "@/lib/core/types";
import { type Db, getLatestPromptVersion, getPromptVersion } from "@/lib/db";
import type { Env } from "@/lib/llm/providers/index";
import { batchSpecSchema, type OperatorBatchSpec, operatorBatchSpecSchema } from "@/lib/validation/batches";
import { parseErrorDetails } from "@/lib/validation/common";
import { fieldError, type InputLocation, validationError } from "@/lib/validation/parse";
import { appModelConfigSchema } from "@/lib/validation/runs";
import {
  type CacheConfig,
  cacheConfigSchema,
  type ModelConfig,
  modelConfigSchema,
} from "@/lib/validation/task-file";
import {
  type ConfigAuthor,
  CredentialProblem,
  checkModelsBuild,
  resolveProviderCredentials,
} from "../credentials/for-models";
import { checkModelId, findProjectTask, modelFromRef, SpecRefProblem } from "../spec-refs";

export type Location = InputLocation;

/** Renames the fields an InputError names (the CLI speaks of its flags, not of body fields). */
export function relabel(error: unknown, location: Location, label: (field: string) => string): unknown {
  if (!(error instanceof InputError)) return error;
  const field = parseErrorDetails(error.details)?.issues[0]?.path;
  const prefix = field !== undefined ? `Invalid ${location}.${field}: ` : null;
  if (!field || !prefix || !error.message.startsWith(prefix)) return error;
  const top = field.split(".")[0]!;
  const renamed = `${label(top)}${field.slice(top.length)}`;
  return new InputError(`Invalid ${renamed}: ${error.message.slice(prefix.length)}`, error.details);
}

/**
 * The spec, checked; a bad inline model is reported at its own field (`model.concurrency`, …). Only
 * `strop batch` (the operator's task file) may give an inline model an endpoint or a key variable.
 */
export function parseSpec(spec: unknown, location: Location, author: ConfigAuthor): OperatorBatchSpec {
  const parsed = (author === "operator" ? operatorBatchSpecSchema : batchSpecSchema).safeParse(spec);
  if (parsed.success) return parsed.data;
  const model = spec && typeof spec === "object" && "model" in spec ? spec.model : undefined;
  if (model !== null && typeof model === "object") {
    const inline = (author === "operator" ? modelConfigSchema : appModelConfigSchema).safeParse(model);
    if (!inline.success) {
      const issue = inline.error.issues[0]!;
      const path = ["model", ...issue.path.map(String)].join(".");
      throw fieldError(location, path, issue.message);
    }
  }
  throw validationError(location, parsed.error);
}

/** A SpecRefProblem from `fn` as bad input naming `field`. */
async function naming<T>(location: Location, field: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SpecRefProblem) throw fieldError(location, field, error.message);
    throw error;
  }
}

/** A model configuration's name, a "provider:model" id or an inline configuration, checked completely. */
async function resolveModel(
  db: Db,
  projectId: string,
  ref: unknown,
  location: Location,
  author: ConfigAuthor,
): Promise<ModelConfig> {
  const candidate = await naming(location, "model", () => modelFromRef(db, projectId, ref));
  const parsed = (author === "operator" ? modelConfigSchema : appModelConfigSchema).safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fieldError(location, ["model", ...issue.path.map(String)].join("."), issue.message);
  }
  const model = parsed.data;
  await naming(location, "model", () => checkModelId(model.id));
  return model;
}

export interface ResolvedSpec {
  spec: OperatorBatchSpec;
  task: { id: string; name: string };
  version: { id: string; version: number; prompt: PromptState };
  variables: string[];
  model: ModelConfig;
  cache: CacheConfig;
}

/** A CredentialProblem from `fn` as bad input naming its field at `location`. */
async function credentialNaming<T>(location: Location, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CredentialProblem) throw fieldError(location, error.path, error.reason);
    throw error;
  }
}

/** The spec's task, prompt version, model and its credentials, checked completely (400 naming the field). */
export async function resolveSpec(
  db: Db,
  projectId: string,
  spec: OperatorBatchSpec,
  location: Location,
  env: Env,
  author: ConfigAuthor,
): Promise<ResolvedSpec> {
  const task = await naming(location, "task", () => findProjectTask(db, projectId, spec.task));
  const version =
    spec.promptVersion !== undefined
      ? await getPromptVersion(db, task.id, spec.promptVersion)
      : await getLatestPromptVersion(db, task.id);
  if (!version) {
    throw fieldError(
      location,
      "promptVersion",
      spec.promptVersion !== undefined
        ? `task "${task.name}" has no prompt version ${spec.promptVersion}`
        : `task "${task.name}" has no prompt version yet`,
    );
  }
  const prompt: PromptState = {
    systemPrompt: version.systemPrompt,
    outputPrompt: version.outputPrompt,
    demos: version.demos,
    params: version.params,
  };
  const variables = promptVariables(prompt);
  if (variables.length === 0) {
    throw fieldError(
      location,
      "promptVersion",
      `prompt version ${version.version} of "${task.name}" uses no {{variable}}: every row would get the same call`,
    );
  }
  for (const [i, demo] of prompt.demos.entries()) {
    const missing = variables.find((v) => demo.input[v] === undefined);
    if (missing)
      throw fieldError(
        location,
        "promptVersion",
        `demo ${i + 1} of version ${version.version} lacks "${missing}"`,
      );
  }
  const model = await resolveModel(db, projectId, spec.model, location, author);
  await credentialNaming(location, async () => {
    const models = [{ path: "model", model }];
    checkModelsBuild(models, await resolveProviderCredentials(db, projectId, models, { author, env }));
  });
  const cache = cacheConfigSchema.parse(spec.cache ?? {});
  return {
    spec,
    task: { id: task.id, name: task.name },
    version: { id: version.id, version: version.version, prompt },
    variables,
    model,
    cache,
  };
}
