"use client";

// The version's variables as a table (name, type, required, default, description): the JSON Schema
// rendering validates against. A row the output prompt does not use is flagged "unused", with its remove
// button at hand.
import { Button } from "@/components/ui/button";
import { emptyVariable, VARIABLE_TYPES, type VariableRow } from "./editor-model";

const CELL_INPUT =
  "block w-full rounded-md border bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

export function VariablesTable({
  rows,
  onChange,
  used,
  problems,
}: {
  rows: VariableRow[];
  onChange: (rows: VariableRow[]) => void;
  /** Names the prompts use. */
  used: Set<string>;
  /** Problems by row key. */
  problems: Record<string, string>;
}) {
  const update = (key: string, patch: Partial<VariableRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const remove = (key: string) => onChange(rows.filter((row) => row.key !== key));
  return (
    <div className="space-y-3">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">
          No variables: the output prompt is fixed text. Write <code>{"{{name}}"}</code> in it and add it
          here, or add a row.
        </p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Variables of this version</caption>
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-2">
                  Name
                </th>
                <th scope="col" className="py-2 pr-2">
                  Type
                </th>
                <th scope="col" className="py-2 pr-2">
                  Required
                </th>
                <th scope="col" className="py-2 pr-2">
                  Default
                </th>
                <th scope="col" className="py-2 pr-2">
                  Description
                </th>
                <th scope="col" className="py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row, index) => {
                const name = row.name.trim();
                const unused = name !== "" && !used.has(name);
                const problem = problems[row.key];
                const label = name || `row ${index + 1}`;
                return (
                  <tr key={row.key} data-variable={name} className="align-top">
                    <td className="py-2 pr-2">
                      <input
                        aria-label={`Name of variable ${index + 1}`}
                        value={row.name}
                        onChange={(e) => update(row.key, { name: e.target.value })}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={problem || unused ? `${row.key}-note` : undefined}
                        className={`${CELL_INPUT} font-mono ${problem ? "border-red-500" : "border-slate-300"}`}
                      />
                      {problem ? (
                        <p id={`${row.key}-note`} className="mt-1 text-xs text-red-700">
                          {problem}
                        </p>
                      ) : unused ? (
                        <p id={`${row.key}-note`} className="mt-1 text-xs text-amber-800">
                          <span aria-hidden="true">⚠ </span>Unused: the output prompt has no{" "}
                          <code>{`{{${name}}}`}</code>.
                        </p>
                      ) : null}
                    </td>
                    <td className="py-2 pr-2">
                      <select
                        aria-label={`Type of ${label}`}
                        value={row.type}
                        onChange={(e) =>
                          update(row.key, { type: e.target.value as VariableRow["type"], defaultValue: "" })
                        }
                        className={`${CELL_INPUT} border-slate-300`}
                      >
                        {VARIABLE_TYPES.map((type) => (
                          <option key={type} value={type}>
                            {type}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="py-2 pr-2">
                      <input
                        type="checkbox"
                        aria-label={`${label} is required`}
                        checked={row.required}
                        onChange={(e) => update(row.key, { required: e.target.checked })}
                        className="mt-2"
                      />
                    </td>
                    <td className="py-2 pr-2">
                      {row.type === "boolean" ? (
                        <select
                          aria-label={`Default of ${label}`}
                          value={row.defaultValue}
                          onChange={(e) => update(row.key, { defaultValue: e.target.value })}
                          className={`${CELL_INPUT} border-slate-300`}
                        >
                          <option value="">none</option>
                          <option value="true">true</option>
                          <option value="false">false</option>
                        </select>
                      ) : (
                        <input
                          aria-label={`Default of ${label}`}
                          value={row.defaultValue}
                          inputMode={row.type === "string" ? undefined : "decimal"}
                          placeholder="none"
                          onChange={(e) => update(row.key, { defaultValue: e.target.value })}
                          className={`${CELL_INPUT} border-slate-300`}
                        />
                      )}
                    </td>
                    <td className="py-2 pr-2">
                      <input
                        aria-label={`Description of ${label}`}
                        value={row.description}
                        onChange={(e) => update(row.key, { description: e.target.value })}
                        className={`${CELL_INPUT} border-slate-300`}
                      />
                    </td>
                    <td className="py-2">
                      <Button
                        variant={unused ? "danger" : "ghost"}
                        onClick={() => remove(row.key)}
                        aria-label={`Remove ${label}`}
                        className="px-2 py-1"
                      >
                        Remove
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Button variant="secondary" onClick={() => onChange([...rows, emptyVariable()])}>
        Add variable
      </Button>
      <p className="text-xs text-slate-500">
        A required variable without a default must be given when the prompt is rendered; an optional one
        renders as its default (or empty). Defaults of numbers and booleans are checked against their type.
      </p>
    </div>
  );
}
