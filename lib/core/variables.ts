// Typed variables of a prompt version: a small subset of JSON Schema (an object whose properties are
// strings, numbers, integers or booleans, with an optional enum, description and default) declared per
// version, checked against the template, and used to validate the values a caller renders with.
//
// Rules (the API documents them in docs/api-prompts.md):
// - Only the output prompt is a template (lib/core/prompt.ts), so only its `{{variables}}` count.
// - A variable is *needed* when it is listed in `required` and has no `default`: a caller must send it.
// - Values: a string variable takes a string; a number or integer variable takes a number or a string
//   that reads as one ("3" → 3); a boolean takes true/false or "true"/"false". `enum` is checked after
//   that. A missing value takes the default; an optional one without a default renders as "". A value
//   for a variable the schema does not declare is refused (a typo would otherwise be silently lost).
import { templateVariables } from "./template";
import type { Variables } from "./types";

export const VARIABLE_TYPES = ["string", "number", "integer", "boolean"] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];
export type VariableValue = string | number | boolean;

export interface VariableProperty {
  type: VariableType;
  description?: string;
  default?: VariableValue;
  enum?: VariableValue[];
}

/** `{ type: "object", properties, required }`: the JSON Schema of a version's variables. */
export interface VariableSchema {
  type: "object";
  properties: Record<string, VariableProperty>;
  required: string[];
}

/** What a variable or schema field is wrong about; `variable` is the name ("" for the whole). */
export interface VariableIssue {
  variable: string;
  message: string;
}

/** A name a `{{variable}}` can have (the template's own pattern, lib/core/template.ts). */
export const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;

/** The schema a template implies when none is declared: every `{{variable}}` a required string. */
export function schemaFromTemplate(prompt: { outputPrompt: string }): VariableSchema {
  const names = templateVariables(prompt.outputPrompt);
  return {
    type: "object",
    properties: Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
    required: names,
  };
}

/** The version's declared schema, else the one its template implies (versions from runs and the CLI). */
export function effectiveVariableSchema(
  declared: VariableSchema | null,
  prompt: { outputPrompt: string },
): VariableSchema {
  return declared ?? schemaFromTemplate(prompt);
}

/** Variables the template uses but the schema does not declare, and declared ones it never uses. */
export function checkTemplateAgainstSchema(
  prompt: { outputPrompt: string },
  schema: VariableSchema,
): { unknown: string[]; unused: string[] } {
  const used = templateVariables(prompt.outputPrompt);
  const declared = Object.keys(schema.properties);
  return {
    unknown: used.filter((name) => !Object.hasOwn(schema.properties, name)),
    unused: declared.filter((name) => !used.includes(name)),
  };
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** `value` read as a `type` value (with the documented coercions), or a message saying why not. */
function coerce(type: VariableType, value: unknown): { value: VariableValue } | { message: string } {
  switch (type) {
    case "string":
      return typeof value === "string" ? { value } : { message: `expected a string, got ${typeName(value)}` };
    case "number":
    case "integer": {
      const number =
        typeof value === "number"
          ? value
          : typeof value === "string" && value.trim() !== ""
            ? Number(value.trim())
            : Number.NaN;
      if (!Number.isFinite(number)) return { message: `expected a number, got ${shown(value)}` };
      if (type === "integer" && !Number.isInteger(number))
        return { message: `expected an integer, got ${shown(value)}` };
      return { value: number };
    }
    case "boolean":
      if (typeof value === "boolean") return { value };
      if (value === "true" || value === "false") return { value: value === "true" };
      return { message: `expected true or false, got ${shown(value)}` };
  }
}

function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : typeName(value);
}

/** True when the caller must send the variable: listed in `required`, with no default. */
export function isNeeded(schema: VariableSchema, name: string): boolean {
  return schema.required.includes(name) && schema.properties[name]?.default === undefined;
}

/** The text a value renders as in the template. */
export function variableText(value: VariableValue): string {
  return typeof value === "string" ? value : String(value);
}

export type VariableValidation =
  | {
      ok: true;
      /** Every declared variable: the value given (coerced), else its default; absent optional ones left out. */
      values: Record<string, VariableValue>;
      /** What the template renders with: every declared variable as text ("" for an absent optional one). */
      text: Variables;
    }
  | { ok: false; issues: VariableIssue[] };

/** Checks `values` against `schema` (the rules at the top of this file); every problem is named. */
export function validateVariables(
  schema: VariableSchema,
  values: Readonly<Record<string, unknown>>,
): VariableValidation {
  const issues: VariableIssue[] = [];
  const out: Record<string, VariableValue> = {};
  const text: Variables = {};
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(schema.properties, name))
      issues.push({ variable: name, message: "is not a variable of this prompt version" });
  }
  for (const [name, property] of Object.entries(schema.properties)) {
    const given = Object.hasOwn(values, name) ? values[name] : undefined;
    if (given === undefined || given === null) {
      if (property.default !== undefined) out[name] = property.default;
      else if (schema.required.includes(name)) issues.push({ variable: name, message: "is required" });
      text[name] = out[name] === undefined ? "" : variableText(out[name]);
      continue;
    }
    const read = coerce(property.type, given);
    if ("message" in read) {
      issues.push({ variable: name, message: read.message });
      continue;
    }
    if (property.enum && !property.enum.includes(read.value)) {
      const allowed = property.enum.map((v) => JSON.stringify(v)).join(", ");
      issues.push({ variable: name, message: `must be one of ${allowed}` });
      continue;
    }
    out[name] = read.value;
    text[name] = variableText(read.value);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, values: out, text };
}

/**
 * Problems of a schema itself (paths relative to it, e.g. `properties.tone.default`): property names a
 * template cannot use, defaults and enum values of the wrong type, a default outside its enum, required
 * names that are not properties.
 */
export function checkVariableSchema(schema: VariableSchema): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const at = `properties.${name}`;
    if (!VARIABLE_NAME.test(name))
      problems.push({
        path: at,
        message: "use letters, digits, '_', '.' or '-', starting with a letter or '_'",
      });
    for (const [i, option] of (property.enum ?? []).entries()) {
      const read = coerce(property.type, option);
      if ("message" in read || read.value !== option)
        problems.push({ path: `${at}.enum.${i}`, message: `is not of type ${property.type}` });
    }
    if (property.enum?.length === 0)
      problems.push({ path: `${at}.enum`, message: "list at least one value" });
    if (property.default !== undefined) {
      const read = coerce(property.type, property.default);
      if ("message" in read || read.value !== property.default)
        problems.push({ path: `${at}.default`, message: `is not of type ${property.type}` });
      else if (property.enum && !property.enum.includes(property.default))
        problems.push({ path: `${at}.default`, message: "is not one of the enum's values" });
    }
  }
  for (const [i, name] of schema.required.entries()) {
    if (!Object.hasOwn(schema.properties, name))
      problems.push({ path: `required.${i}`, message: `"${name}" is not a property` });
  }
  return problems;
}

/**
 * How the variables a caller must send change from one version to another — what breaks callers
 * that worked with `from`: `added` are needed by `to` but were not needed by `from`; `removed` were
 * needed by `from` and `to` does not declare them (their values would be refused); `retyped` are needed
 * by both with another type.
 */
export interface RequiredVariableChanges {
  added: string[];
  removed: string[];
  retyped: string[];
}

export function requiredVariableChanges(from: VariableSchema, to: VariableSchema): RequiredVariableChanges {
  const neededFrom = Object.keys(from.properties).filter((name) => isNeeded(from, name));
  const neededTo = Object.keys(to.properties).filter((name) => isNeeded(to, name));
  return {
    added: neededTo.filter((name) => !neededFrom.includes(name)),
    removed: neededFrom.filter((name) => !Object.hasOwn(to.properties, name)),
    retyped: neededTo.filter(
      (name) => neededFrom.includes(name) && from.properties[name]?.type !== to.properties[name]?.type,
    ),
  };
}

/** Every variable a change names, sorted (empty: callers of `from` keep working with `to`). */
export function changedVariableNames(changes: RequiredVariableChanges): string[] {
  return [...new Set([...changes.added, ...changes.removed, ...changes.retyped])].sort();
}
