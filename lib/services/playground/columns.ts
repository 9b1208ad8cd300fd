// Preparing a playground run before anything is called: every column's prompt (a saved version, read as
// the serving API reads it, or a draft checked as a new version would be), its variables (each column
// takes the given values its prompt declares), its messages, and its model with credentials — resolved
// the way serving's generate resolves them (checkServingModel, the project's stored credentials, the
// pooled serving gateways). Every problem is found here, so a bad request is a 400/404/409 naming the
// field instead of a stream that fails halfway.
import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { buildMessages } from "@/lib/core/prompt";
import type { ChatMessage, ModelParams, PromptState } from "@/lib/core/types";
import { effectiveVariableSchema, type VariableSchema, validateVariables } from "@/lib/core/variables";
import type { Db } from "@/lib/db";
import type { Gateway } from "@/lib/llm/gateway";
import type { Env } from "@/lib/llm/providers/index";
import type { ValidationIssue } from "@/lib/validation/common";
import type { PlaygroundColumn, PlaygroundRunBody } from "@/lib/validation/playground";
import { resolveProviderCredentials } from "../credentials/for-models";
import { checkServingModel, versionInputIssues } from "../prompts";
import { renderServedPrompt, resolveServedPrompt } from "../serving";
import { servingGateways } from "../serving/gateways";
import { DEFAULT_SERVING_MODEL } from "../serving/generate";

export interface PreparedColumn {
  index: number;
  /** The version number, null for a draft. */
  version: number | null;
  model: string;
  gateway: Gateway;
  messages: ChatMessage[];
  params: ModelParams;
}

interface ColumnPrompt {
  version: number | null;
  /** The version's own serving model, if any. */
  model: string | null;
  schema: VariableSchema;
  render: (values: Record<string, unknown>) => Promise<ChatMessage[]>;
  params: ModelParams;
  /** How messages name the column: "column 2 (version 3)". */
  name: string;
}

function invalid(issues: ValidationIssue[]): InputError {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new InputError(`Invalid body.${first!.path}: ${first!.message}${more}`, { issues });
}

async function columnPrompt(
  db: Db,
  access: ProjectAccess,
  body: PlaygroundRunBody,
  column: PlaygroundColumn,
  index: number,
): Promise<ColumnPrompt> {
  const position = `column ${index + 1}`;
  if (column.version !== undefined) {
    const task = body.task as string; // the contract requires it when a column names a version
    const served = await resolveServedPrompt(db, access.project.id, task, { version: column.version });
    return {
      version: column.version,
      model: served.body.model,
      schema: served.variables,
      params: served.prompt.params,
      name: `${position} (version ${column.version})`,
      render: async (values) =>
        (await renderServedPrompt(db, access, task, { variables: values, version: column.version })).messages,
    };
  }
  const draft = column.draft!;
  const issues = versionInputIssues({ ...draft, message: "draft" }, `columns.${index}.draft`);
  if (issues.length > 0) throw invalid(issues);
  const prompt: PromptState = {
    systemPrompt: draft.systemPrompt,
    outputPrompt: draft.outputPrompt,
    demos: draft.demos,
    params: draft.params,
  };
  const schema = effectiveVariableSchema(draft.variables ?? null, prompt);
  return {
    version: null,
    model: null,
    schema,
    params: draft.params,
    name: `${position} (draft)`,
    render: async (values) => {
      const checked = validateVariables(schema, values);
      if (!checked.ok) throw new Error("variables were checked before rendering");
      return buildMessages(prompt, checked.text);
    },
  };
}

/** The given values a prompt declares; problems with them named as `variables.<name>`. */
function valuesFor(prompt: ColumnPrompt, given: Record<string, unknown>, issues: ValidationIssue[]) {
  const values = Object.fromEntries(
    Object.entries(given).filter(([name]) => Object.hasOwn(prompt.schema.properties, name)),
  );
  const checked = validateVariables(prompt.schema, values);
  if (!checked.ok)
    for (const problem of checked.issues)
      issues.push({
        in: "body",
        path: `variables.${problem.variable}`,
        message: `${problem.message} (${prompt.name})`,
      });
  return values;
}

/** Every column, ready to call; throws before any call when the request cannot be run as a whole. */
export async function prepareColumns(
  db: Db,
  access: ProjectAccess,
  body: PlaygroundRunBody,
  env: Env | undefined,
): Promise<PreparedColumn[]> {
  const projectId = access.project.id;
  const prompts: ColumnPrompt[] = [];
  for (const [index, column] of body.columns.entries())
    prompts.push(await columnPrompt(db, access, body, column, index));

  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(body.variables))
    if (!prompts.some((p) => Object.hasOwn(p.schema.properties, name)))
      issues.push({ in: "body", path: `variables.${name}`, message: "no column's prompt has this variable" });
  const values = prompts.map((prompt) => valuesFor(prompt, body.variables, issues));
  if (issues.length > 0) throw invalid(issues);

  const prepared: PreparedColumn[] = [];
  for (const [index, prompt] of prompts.entries()) {
    const path = `columns.${index}.model`;
    const ref = body.columns[index]!.model ?? prompt.model ?? DEFAULT_SERVING_MODEL;
    const model = await checkServingModel(db, projectId, ref, path, env);
    const credentials = await resolveProviderCredentials(db, projectId, [{ path, model }], {
      author: "project",
      env,
    });
    prepared.push({
      index,
      version: prompt.version,
      model: model.id,
      gateway: servingGateways(db).get({ projectId, model, credentials, env }),
      messages: await prompt.render(values[index]!),
      // The configuration's parameters are defaults; the prompt's own win (as in serving and batches).
      params: { ...model.params, ...prompt.params },
    });
  }
  return prepared;
}
