"use client";

// One column of the playground: which version (or the draft edited from it) on which model, and its
// answer as it streams in, with tokens, latency and cost once it is complete.
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { type ColumnOutput, type ColumnState, formatCost, type VersionOption } from "./playground-model";

export interface ModelOption {
  value: string;
  label: string;
}

const TEXTAREA =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

function Answer({ output, position }: { output: ColumnOutput; position: number }) {
  if (output.status === "idle")
    return <p className="text-sm text-slate-500">Run all to see this column&apos;s answer.</p>;
  return (
    <div className="space-y-2">
      <output
        aria-live="polite"
        aria-label={`Answer of column ${position}`}
        className="block min-h-16 whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-900"
      >
        {output.text || (output.status === "running" ? "Waiting for the model…" : "")}
      </output>
      {output.status === "failed" ? (
        <p role="alert" className="text-sm text-red-700">
          {output.error}
        </p>
      ) : null}
      {output.status === "done" && output.usage ? (
        <div data-testid={`usage-${position}`}>
          <dl className="grid grid-cols-3 gap-2 text-xs text-slate-600">
            <div>
              <dt className="font-medium">Tokens</dt>
              <dd>
                {output.usage.inputTokens} in · {output.usage.outputTokens} out
              </dd>
            </div>
            <div>
              <dt className="font-medium">Latency</dt>
              <dd>{output.latencyMs} ms</dd>
            </div>
            <div>
              <dt className="font-medium">Cost</dt>
              <dd>
                {formatCost(output.costUsd ?? 0)}
                {output.cached ? " (from cache)" : ""}
              </dd>
            </div>
          </dl>
        </div>
      ) : null}
    </div>
  );
}

export function ColumnCard({
  position,
  column,
  output,
  versions,
  models,
  canRemove,
  onChange,
  onRemove,
  children,
}: {
  position: number;
  column: ColumnState;
  output: ColumnOutput;
  versions: VersionOption[];
  models: ModelOption[];
  canRemove: boolean;
  onChange: (next: ColumnState) => void;
  onRemove: () => void;
  /** Actions on the column's draft (saving it as a version). */
  children?: React.ReactNode;
}) {
  const id = column.key;
  const source = versions.find((v) => v.version === column.version);
  const ownModel = source?.model ?? "sim:default";
  const edit = () => {
    if (!source) return;
    onChange({
      ...column,
      draft: { systemPrompt: source.systemPrompt, outputPrompt: source.outputPrompt, basedOn: source },
    });
  };
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex items-center justify-between gap-2">
        <h3 id={`${id}-heading`} className="text-sm font-semibold">
          Column {position}
          {column.draft ? ` · draft from version ${column.draft.basedOn.version}` : ""}
        </h3>
        {canRemove ? (
          <Button variant="ghost" className="py-1 text-xs" onClick={onRemove}>
            Remove column {position}
          </Button>
        ) : null}
      </div>
      <SelectField
        id={`${id}-version`}
        label={`Version (column ${position})`}
        value={String(column.version)}
        disabled={column.draft !== null}
        onChange={(e) => onChange({ ...column, version: Number(e.target.value), draft: null })}
        options={versions.map((v) => ({
          value: String(v.version),
          label: `Version ${v.version}: ${v.message}`.slice(0, 80),
        }))}
      />
      <SelectField
        id={`${id}-model`}
        label={`Model (column ${position})`}
        value={column.model}
        onChange={(e) => onChange({ ...column, model: e.target.value })}
        options={[{ value: "", label: `The version's model (${ownModel})` }, ...models]}
      />
      {column.draft ? (
        <div className="space-y-2">
          <label htmlFor={`${id}-system`} className="block text-sm font-medium text-slate-800">
            System prompt (draft, column {position})
          </label>
          <textarea
            id={`${id}-system`}
            rows={3}
            className={TEXTAREA}
            value={column.draft.systemPrompt}
            onChange={(e) =>
              onChange({ ...column, draft: { ...column.draft!, systemPrompt: e.target.value } })
            }
          />
          <label htmlFor={`${id}-output`} className="block text-sm font-medium text-slate-800">
            Output prompt (draft, column {position})
          </label>
          <textarea
            id={`${id}-output`}
            rows={4}
            className={TEXTAREA}
            value={column.draft.outputPrompt}
            onChange={(e) =>
              onChange({ ...column, draft: { ...column.draft!, outputPrompt: e.target.value } })
            }
          />
          <Button
            variant="ghost"
            className="py-1 text-xs"
            onClick={() => onChange({ ...column, draft: null })}
          >
            Discard the draft
          </Button>
        </div>
      ) : (
        <Button variant="secondary" className="self-start py-1 text-xs" onClick={edit} disabled={!source}>
          Edit the prompt of column {position}
        </Button>
      )}
      {children}
      <Answer output={output} position={position} />
    </section>
  );
}
