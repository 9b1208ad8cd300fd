"use client";

// The variables form, generated from the columns' typed variables: text areas for strings, number
// fields for numbers, a yes/no choice for booleans, a list for variables with allowed values.
import type { FormVariable } from "./playground-model";

const CONTROL =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

function hintOf(field: FormVariable): string {
  const parts = [field.property.type === "integer" ? "whole number" : field.property.type];
  if (!field.required)
    parts.push(
      field.property.default !== undefined ? `default ${String(field.property.default)}` : "optional",
    );
  if (field.property.description) parts.push(field.property.description);
  return parts.join(" · ");
}

export function VariablesForm({
  fields,
  values,
  errors,
  onChange,
}: {
  fields: FormVariable[];
  values: Record<string, string>;
  errors: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) {
  if (fields.length === 0)
    return <p className="text-sm text-slate-600">These prompts have no variables: run them as they are.</p>;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {fields.map((field) => {
        const id = `variable-${field.name}`;
        const value = values[field.name] ?? "";
        const error = errors[field.name];
        const described = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
        const common = {
          id,
          "aria-describedby": described,
          "aria-invalid": error ? true : undefined,
          className: `${CONTROL} ${error ? "border-red-500" : ""}`,
        };
        const allowed = field.property.enum;
        return (
          <div key={field.name} className="space-y-1">
            <label htmlFor={id} className="block text-sm font-medium text-slate-800">
              {field.name}
              {field.required ? <span className="text-red-700"> *</span> : null}
            </label>
            {allowed || field.property.type === "boolean" ? (
              <select {...common} value={value} onChange={(e) => onChange(field.name, e.target.value)}>
                <option value="">{field.required ? "Choose…" : "(not set)"}</option>
                {(allowed ?? [true, false]).map((option) => (
                  <option key={String(option)} value={String(option)}>
                    {option === true ? "yes" : option === false ? "no" : String(option)}
                  </option>
                ))}
              </select>
            ) : field.property.type === "string" ? (
              <textarea
                {...common}
                rows={3}
                value={value}
                onChange={(e) => onChange(field.name, e.target.value)}
              />
            ) : (
              <input
                {...common}
                type="number"
                step={field.property.type === "integer" ? 1 : "any"}
                value={value}
                onChange={(e) => onChange(field.name, e.target.value)}
              />
            )}
            <p id={`${id}-hint`} className="text-xs text-slate-500">
              {hintOf(field)}
            </p>
            {error ? (
              <p id={`${id}-error`} className="text-sm text-red-700">
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
