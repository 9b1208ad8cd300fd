// `{{variable}}` templates: the output prompt is rendered per example from its input variables.
import type { Variables } from "./types";

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** Variable names used by a template, in order of first use. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) names.add(match[1] as string);
  return [...names];
}

export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`template variable "${variable}" has no value`);
    this.name = "MissingVariableError";
  }
}

export function renderTemplate(template: string, variables: Variables): string {
  return template.replace(VARIABLE, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new MissingVariableError(name);
    return value;
  });
}
