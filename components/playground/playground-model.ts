// The playground's state kept apart from the React components: columns (a saved version or a draft
// started from one, each on a model), the variables form generated from the columns' typed variables,
// and the request body a run becomes.
import { templateVariables } from "@/lib/core/template";
import type { ModelParams } from "@/lib/core/types";
import type { VariableProperty, VariableSchema } from "@/lib/core/variables";

export const MAX_COLUMNS = 4;

/** A saved version as the page hands it over. */
export interface VersionOption {
  version: number;
  message: string;
  systemPrompt: string;
  outputPrompt: string;
  demos: { input: Record<string, string>; output: string }[];
  params: ModelParams;
  variableSchema: VariableSchema;
  model: string | null;
}

export interface DraftPrompt {
  systemPrompt: string;
  outputPrompt: string;
  /** The version it started from: its demos, params and variable types are kept. */
  basedOn: VersionOption;
}

export interface ColumnState {
  key: string;
  version: number;
  /** Set once the column's prompt is edited: the column then runs the draft. */
  draft: DraftPrompt | null;
  /** A model configuration's name or "provider:model"; "" means the version's own model. */
  model: string;
}

export interface ColumnOutput {
  status: "idle" | "running" | "done" | "failed";
  text: string;
  model?: string;
  usage?: { inputTokens: number; outputTokens: number };
  latencyMs?: number;
  costUsd?: number;
  cached?: boolean;
  error?: string;
}

export const IDLE: ColumnOutput = { status: "idle", text: "" };

let nextKey = 0;
export function newColumn(version: number): ColumnState {
  return { key: `column-${++nextKey}`, version, draft: null, model: "" };
}

/**
 * A draft's variables: its template's, typed as the version it started from types them; a variable
 * the draft adds is a required string (what the server assumes for undeclared templates).
 */
export function draftSchema(draft: DraftPrompt): VariableSchema {
  const base = draft.basedOn.variableSchema;
  const names = templateVariables(draft.outputPrompt);
  const properties: Record<string, VariableProperty> = {};
  for (const name of names) properties[name] = base.properties[name] ?? { type: "string" };
  const required = names.filter((name) => !base.properties[name] || base.required.includes(name));
  return { type: "object", properties, required };
}

export function columnSchema(column: ColumnState, versions: VersionOption[]): VariableSchema {
  if (column.draft) return draftSchema(column.draft);
  return versions.find((v) => v.version === column.version)?.variableSchema ?? emptySchema();
}

const emptySchema = (): VariableSchema => ({ type: "object", properties: {}, required: [] });

export interface FormVariable {
  name: string;
  property: VariableProperty;
  required: boolean;
}

/** Every variable some column uses, in order of first appearance; required if any column requires it. */
export function formVariables(schemas: VariableSchema[]): FormVariable[] {
  const out = new Map<string, FormVariable>();
  for (const schema of schemas)
    for (const [name, property] of Object.entries(schema.properties)) {
      const required = schema.required.includes(name) && property.default === undefined;
      const found = out.get(name);
      if (found) found.required ||= required;
      else out.set(name, { name, property, required });
    }
  return [...out.values()];
}

/** The form's text as the API takes it: numbers and booleans typed, empty optional fields left out. */
export function variableValues(fields: FormVariable[], values: Record<string, string>) {
  const out: Record<string, string | number | boolean> = {};
  for (const { name, property } of fields) {
    const raw = values[name] ?? "";
    if (property.type === "boolean") {
      if (raw !== "") out[name] = raw === "true";
    } else if (raw === "") continue;
    else if (property.type === "number" || property.type === "integer")
      out[name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else out[name] = raw;
  }
  return out;
}

/** The draft as the API takes it (for a run and for "Save as new version"). */
export function draftBody(draft: DraftPrompt) {
  const params = Object.fromEntries(
    Object.entries(draft.basedOn.params).filter(([, value]) => value !== undefined),
  );
  return {
    systemPrompt: draft.systemPrompt,
    outputPrompt: draft.outputPrompt,
    demos: draft.basedOn.demos,
    params,
    variables: draftSchema(draft),
  };
}

export function runBody(
  task: string,
  columns: ColumnState[],
  fields: FormVariable[],
  values: Record<string, string>,
) {
  return {
    task,
    columns: columns.map((column) => ({
      ...(column.draft ? { draft: draftBody(column.draft) } : { version: column.version }),
      ...(column.model ? { model: column.model } : {}),
    })),
    variables: variableValues(fields, values),
  };
}

/** "$0.000123", "$1.20": enough digits to tell small calls apart. */
export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toPrecision(3)}` : `$${usd.toFixed(2)}`;
}
