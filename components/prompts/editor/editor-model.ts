// The prompt editor's state and what it checks as you type, kept apart from the React components: a
// draft as the controls hold it (numbers as typed, defaults as text), the variable schema and the
// request body it becomes, and the problems to flag before saving — variables the prompts use but the
// table does not declare, declared variables no prompt uses, bad names, duplicates, defaults of the
// wrong type. The server checks the same things again (lib/core/variables.ts); this is for feedback
// while typing. Only the output prompt is a template: its variables are the ones that count.
import {
  checkTemplateAgainstSchema,
  VARIABLE_NAME,
  type VariableSchema,
  type VariableType,
  type VariableValue,
} from "@/lib/core/variables";

export { VARIABLE_TYPES } from "@/lib/core/variables";

export interface VariableRow {
  /** Stable React key (names change as you type). */
  key: string;
  name: string;
  type: VariableType;
  required: boolean;
  /** As typed; "" means no default. */
  defaultValue: string;
  description: string;
  /** Allowed values of a version being edited: kept as they were (the table does not edit them). */
  enumValues?: VariableValue[];
}

export interface DemoRow {
  key: string;
  input: Record<string, string>;
  output: string;
}

export const PARAM_FIELDS = [
  { name: "temperature", label: "Temperature", hint: "0–2", integer: false },
  { name: "maxOutputTokens", label: "Max output tokens", hint: "A whole number", integer: true },
  { name: "topP", label: "Top p", hint: "0–1", integer: false },
  { name: "seed", label: "Seed", hint: "A whole number", integer: true },
] as const;
export type ParamName = (typeof PARAM_FIELDS)[number]["name"];

export interface EditorDraft {
  systemPrompt: string;
  outputPrompt: string;
  variables: VariableRow[];
  /** As typed; "" means the provider's default. */
  params: Record<ParamName, string>;
  /** A model configuration's name or "provider:model"; "" means the project's default. */
  model: string;
  demos: DemoRow[];
}

/** The parts of a stored version the editor starts from (a version being edited or duplicated). */
export interface EditorSource {
  systemPrompt: string;
  outputPrompt: string;
  /** Declared, or (versions from runs and task files) every template variable a required string. */
  variableSchema: VariableSchema;
  params: Partial<Record<ParamName, number>>;
  model: string | null;
  demos: { input: Record<string, string>; output: string }[];
}

let nextKey = 0;
export const newKey = (prefix: string) => `${prefix}-${++nextKey}`;

export function emptyVariable(name = ""): VariableRow {
  return { key: newKey("var"), name, type: "string", required: true, defaultValue: "", description: "" };
}

export function emptyDraft(): EditorDraft {
  return {
    systemPrompt: "",
    outputPrompt: "",
    variables: [],
    params: { temperature: "", maxOutputTokens: "", topP: "", seed: "" },
    model: "",
    demos: [],
  };
}

/** The draft a stored version opens as: one table row per variable of its schema. */
export function draftFromVersion(source: EditorSource): EditorDraft {
  const schema = source.variableSchema;
  const variables: VariableRow[] = Object.entries(schema.properties).map(([name, property]) => ({
    key: newKey("var"),
    name,
    type: property.type,
    required: schema.required.includes(name),
    defaultValue: property.default === undefined ? "" : String(property.default),
    description: property.description ?? "",
    enumValues: property.enum,
  }));
  const params = emptyDraft().params;
  for (const field of PARAM_FIELDS) {
    const value = source.params[field.name];
    if (value !== undefined) params[field.name] = String(value);
  }
  return {
    systemPrompt: source.systemPrompt,
    outputPrompt: source.outputPrompt,
    variables,
    params,
    model: source.model ?? "",
    demos: source.demos.map((demo) => ({
      key: newKey("demo"),
      input: { ...demo.input },
      output: demo.output,
    })),
  };
}

/** A default as typed, as the value of its type; undefined for "" (and kept as typed when it is not one). */
function typedDefault(row: VariableRow): VariableValue | undefined {
  const text = row.defaultValue.trim();
  if (text === "") return undefined;
  if (row.type === "string") return row.defaultValue;
  if (row.type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** The JSON Schema of the table's variables (the server names any value that is still wrong). */
export function schemaFromRows(rows: VariableRow[]): VariableSchema {
  const properties: VariableSchema["properties"] = {};
  const required: string[] = [];
  for (const row of rows) {
    const name = row.name.trim();
    if (!name) continue;
    const value = typedDefault(row);
    properties[name] = {
      type: row.type,
      ...(row.description.trim() ? { description: row.description.trim() } : {}),
      ...(value !== undefined ? { default: value } : {}),
      ...(row.enumValues ? { enum: row.enumValues } : {}),
    };
    if (row.required) required.push(name);
  }
  return { type: "object", properties, required };
}

/** A number as typed: a number when it is one, the text otherwise (so the server names the field). */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/** The content of a new version as the API takes it (POST …/prompts/{name}/versions). */
export function versionBody(draft: EditorDraft, message: string) {
  const params: Record<string, number | string> = {};
  for (const field of PARAM_FIELDS) {
    const value = numberOrText(draft.params[field.name]);
    if (value !== undefined) params[field.name] = value;
  }
  const names = draft.variables.map((v) => v.name.trim()).filter(Boolean);
  return {
    systemPrompt: draft.systemPrompt,
    outputPrompt: draft.outputPrompt,
    variables: schemaFromRows(draft.variables),
    params,
    model: draft.model.trim() || null,
    demos: draft.demos.map((demo) => ({
      input: Object.fromEntries(names.map((name) => [name, demo.input[name] ?? ""])),
      output: demo.output,
    })),
    // Omitted when empty: a new task's first version then gets the server's default message.
    message: message.trim() || undefined,
  };
}

export interface DraftProblems {
  /** Used by the output prompt, not in the table (saving is refused). */
  unknown: string[];
  /** In the table, not used by the output prompt (saving is refused). */
  unused: string[];
  /** Problems of the table's rows, by row key. */
  rows: Record<string, string>;
  /** Problems of the model parameters, by parameter. */
  params: Partial<Record<ParamName, string>>;
}

function rowProblem(row: VariableRow, seen: Set<string>): string | null {
  const name = row.name.trim();
  if (!name) return "Name the variable (or remove the row).";
  if (!VARIABLE_NAME.test(name))
    return "A name starts with a letter or _ and holds letters, digits, _, . or - only.";
  if (seen.has(name)) return `"${name}" is declared twice.`;
  const value = typedDefault(row);
  if (value === undefined) return null;
  if (row.type === "boolean" && typeof value !== "boolean")
    return "The default of a boolean is true or false.";
  if ((row.type === "number" || row.type === "integer") && typeof value !== "number")
    return `The default of a${row.type === "integer" ? "n integer" : " number"} is a number.`;
  if (row.type === "integer" && !Number.isInteger(value))
    return "The default of an integer is a whole number.";
  return null;
}

/** Everything to flag in the draft, as you type. */
export function draftProblems(draft: EditorDraft): DraftProblems {
  const rows: Record<string, string> = {};
  const seen = new Set<string>();
  for (const row of draft.variables) {
    const problem = rowProblem(row, seen);
    if (problem) rows[row.key] = problem;
    seen.add(row.name.trim());
  }
  const params: DraftProblems["params"] = {};
  for (const field of PARAM_FIELDS) {
    const value = numberOrText(draft.params[field.name]);
    if (value === undefined) continue;
    if (typeof value !== "number") params[field.name] = "Not a number.";
    else if (field.integer && !Number.isInteger(value)) params[field.name] = "A whole number.";
  }
  const check = checkTemplateAgainstSchema(
    { outputPrompt: draft.outputPrompt },
    schemaFromRows(draft.variables),
  );
  return { unknown: check.unknown, unused: check.unused, rows, params };
}

export function hasProblems(problems: DraftProblems): boolean {
  return (
    problems.unknown.length + problems.unused.length > 0 ||
    Object.keys(problems.rows).length > 0 ||
    Object.keys(problems.params).length > 0
  );
}
