// What a template holds, on its page: notes, the prompt, variables, suggested metrics and example rows.
import { VariableSchemaTable } from "@/components/prompts/variable-schema-table";
import { Section } from "@/components/ui/page";
import type { TemplateDetail } from "@/lib/validation/template-api";

const PRE = "whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800";

const cellText = (value: string | number | boolean | undefined) => (value === undefined ? "" : String(value));

export function TemplateContents({ template }: { template: TemplateDetail }) {
  const { prompt, dataset } = template;
  const params = Object.entries(prompt.params);
  return (
    <>
      {template.notes ? (
        <Section title="When to use it">
          <p className="whitespace-pre-line text-sm text-slate-700">{template.notes}</p>
        </Section>
      ) : null}
      <Section title="Prompt">
        <div className="space-y-3">
          <div>
            <h3 className="mb-1 text-sm font-medium">System prompt</h3>
            {prompt.system ? (
              <pre className={PRE}>{prompt.system}</pre>
            ) : (
              <p className="text-sm text-slate-500">None.</p>
            )}
          </div>
          <div>
            <h3 className="mb-1 text-sm font-medium">Output prompt</h3>
            <pre className={PRE}>{prompt.output}</pre>
          </div>
          {params.length > 0 ? (
            <p className="text-sm text-slate-700">
              Model parameters:{" "}
              {params.map(([key, value]) => (
                <code key={key} className="mr-2 font-mono text-xs">
                  {key}={String(value)}
                </code>
              ))}
            </p>
          ) : null}
          {prompt.demos.length > 0 ? (
            <p className="text-sm text-slate-700">{prompt.demos.length} few-shot demos come with it.</p>
          ) : null}
        </div>
      </Section>
      <Section title="Variables">
        <VariableSchemaTable schema={template.variableSchema} declared />
      </Section>
      <Section title="Suggested metrics">
        <ul className="space-y-2 text-sm">
          {template.metricConfigs.map((metric) => (
            <li key={`${metric.name}:${JSON.stringify(metric.options)}:${metric.weight}`}>
              <span className="font-mono font-medium">{metric.name}</span>
              {metric.weight !== 1 ? <span className="text-slate-600"> (weight {metric.weight})</span> : null}
              {Object.keys(metric.options).length > 0 ? (
                <code className="ml-2 font-mono text-xs text-slate-600">
                  {JSON.stringify(metric.options)}
                </code>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Example rows">
        {dataset.preview.length === 0 ? (
          <p className="text-sm text-slate-600">
            This template has no example rows: after using it, upload a dataset with the columns{" "}
            <code className="font-mono text-xs">{dataset.columns.join(", ")}</code>.
          </p>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-600">
              The first {dataset.preview.length} of {template.rowCount} rows; the expected output is{" "}
              <code className="font-mono text-xs">{dataset.expected}</code>. Using the template makes them a
              dataset.
            </p>
            <div className="relative overflow-x-auto rounded-md border border-slate-200">
              <table className="w-full text-left text-xs">
                <thead className="border-b border-slate-200 bg-slate-50 uppercase text-slate-500">
                  <tr>
                    {dataset.columns.map((column) => (
                      <th key={column} scope="col" className="px-3 py-2">
                        {column}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 align-top">
                  {dataset.preview.map((row, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: rows are shown in file order and never reordered
                    <tr key={i}>
                      {dataset.columns.map((column) => (
                        <td key={column} className="max-w-xs whitespace-pre-wrap break-words px-3 py-2">
                          {cellText(row[column])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Section>
    </>
  );
}
