// A version's variables as a table (name, type, required, default, description); for versions written
// by runs and task files, which declare none, the ones the template implies (each a required string).
import type { VariableSchema } from "@/lib/core/variables";

export function VariableSchemaTable({ schema, declared }: { schema: VariableSchema; declared: boolean }) {
  const names = Object.keys(schema.properties);
  if (names.length === 0)
    return <p className="text-sm text-slate-500">None: the output prompt is fixed text.</p>;
  return (
    // Focusable, so that a keyboard can scroll a table wider than its column (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="relative overflow-x-auto" tabIndex={0} aria-label="Variables">
      <table className="w-full text-left text-sm" aria-label="Variables">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3">
              Name
            </th>
            <th scope="col" className="py-1 pr-3">
              Type
            </th>
            <th scope="col" className="py-1 pr-3">
              Required
            </th>
            <th scope="col" className="py-1 pr-3">
              Default
            </th>
            <th scope="col" className="py-1">
              Description
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {names.map((name) => {
            const property = schema.properties[name]!;
            return (
              <tr key={name} className="align-top">
                <td className="py-1 pr-3">
                  <code className="rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-900">{`{{${name}}}`}</code>
                </td>
                <td className="py-1 pr-3">
                  {property.type}
                  {property.enum ? (
                    <span className="block text-xs text-slate-500">
                      one of {property.enum.map((v) => JSON.stringify(v)).join(", ")}
                    </span>
                  ) : null}
                </td>
                <td className="py-1 pr-3">{schema.required.includes(name) ? "yes" : "no"}</td>
                <td className="py-1 pr-3 font-mono text-xs">
                  {property.default === undefined ? (
                    <span className="font-sans text-slate-500">–</span>
                  ) : (
                    JSON.stringify(property.default)
                  )}
                </td>
                <td className="py-1 text-slate-600">{property.description ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {declared ? null : (
        <p className="mt-1 text-xs text-slate-500">
          Not declared by this version: each <code>{"{{variable}}"}</code> of its template is a required
          string.
        </p>
      )}
    </section>
  );
}
