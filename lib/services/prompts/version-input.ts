// Checking a new version before it is written: its declared variables against the template (unknown
// and unused ones named), its demos against the variables, and its serving model — a model
// configuration of the project or a "provider:model" id, with its credentials, checked as run specs
// check models. Every problem is a 400 naming its field; all of them at once.
import { InputError } from "@/lib/core/errors";
import { templateVariables } from "@/lib/core/template";
import { checkTemplateAgainstSchema, type VariableSchema, validateVariables } from "@/lib/core/variables";
import type { AuditActor, AuthoredVersion, Db } from "@/lib/db";
import type { Env } from "@/lib/llm/providers/index";
import type { ValidationIssue } from "@/lib/validation/common";
import { fieldError } from "@/lib/validation/parse";
import type { NewVersion } from "@/lib/validation/prompt-authoring";
import { appModelConfigSchema } from "@/lib/validation/runs";
import type { ModelConfig } from "@/lib/validation/task-file";
import { CredentialProblem, checkModelsBuild, resolveProviderCredentials } from "../credentials/for-models";
import { checkModelId, modelFromRef, SpecRefProblem } from "../spec-refs";

const at = (prefix: string, path: string) => (prefix ? `${prefix}.${path}` : path);

/** Unknown and unused variables of a declared schema, and demos that lack or mistype a variable. */
export function versionInputIssues(input: NewVersion, prefix = ""): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, message: string) =>
    issues.push({ in: "body", path: at(prefix, path), message });
  const used = templateVariables(input.outputPrompt);
  if (input.variables) {
    const { unknown, unused } = checkTemplateAgainstSchema(input, input.variables);
    for (const name of unknown)
      issue("outputPrompt", `uses {{${name}}}, which \`variables\` does not declare`);
    for (const name of unused)
      issue(`variables.properties.${name}`, `"${name}" is declared but the output prompt never uses it`);
  }
  for (const [i, demo] of input.demos.entries()) {
    for (const name of used.filter((v) => demo.input[v] === undefined))
      issue(`demos.${i}.input.${name}`, `demo ${i + 1} gives no value for {{${name}}}`);
    if (!input.variables) continue;
    // The values it gives for declared variables must fit their types (what it lacks is named above).
    const declared = input.variables.properties;
    const given = Object.entries(demo.input).filter(([name]) => Object.hasOwn(declared, name));
    const checked = validateVariables({ ...input.variables, required: [] }, Object.fromEntries(given));
    if (!checked.ok)
      for (const problem of checked.issues) issue(`demos.${i}.input.${problem.variable}`, problem.message);
  }
  return issues;
}

function invalidVersion(issues: ValidationIssue[]): InputError {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new InputError(`Invalid body.${first!.path}: ${first!.message}${more}`, { issues });
}

/**
 * The serving model, checked: a model configuration of the project or a "provider:model" id this build
 * knows, whose credentials exist (the project's, or the server's standard variables), as for runs.
 */
export async function checkServingModel(
  db: Db,
  projectId: string,
  ref: string,
  path: string,
  env: Env = process.env,
): Promise<ModelConfig> {
  try {
    const parsed = appModelConfigSchema.safeParse(await modelFromRef(db, projectId, ref));
    if (!parsed.success)
      throw fieldError("body", path, parsed.error.issues[0]?.message ?? "not a usable model");
    const model = parsed.data;
    checkModelId(model.id);
    const models = [{ path, model }];
    checkModelsBuild(
      models,
      await resolveProviderCredentials(db, projectId, models, { author: "project", env }),
    );
    return model;
  } catch (error) {
    if (error instanceof SpecRefProblem) throw fieldError("body", path, error.message);
    if (error instanceof CredentialProblem) throw fieldError("body", error.path, error.reason);
    throw error;
  }
}

/**
 * A new version's input, checked completely, as what the repository writes (source "manual", written by
 * `actor`). `prefix` is where the version sits in the body ("version" when a task is created with it).
 */
export async function checkNewVersion(
  db: Db,
  projectId: string,
  input: NewVersion,
  actor: AuditActor,
  options: { prefix?: string; env?: Env } = {},
): Promise<AuthoredVersion> {
  const prefix = options.prefix ?? "";
  const issues = versionInputIssues(input, prefix);
  if (issues.length > 0) throw invalidVersion(issues);
  const model = input.model ?? null;
  if (model !== null) await checkServingModel(db, projectId, model, at(prefix, "model"), options.env);
  const variableSchema: VariableSchema | null = input.variables ?? null;
  return {
    content: {
      systemPrompt: input.systemPrompt,
      outputPrompt: input.outputPrompt,
      demos: input.demos,
      params: input.params,
    },
    meta: { source: "manual", note: input.message, variableSchema, model, createdBy: actor.label },
  };
}
