"use client";

// Few-shot demos: each an example input (one value per declared variable) and the output the model
// should give for it. They are sent before the real input, in order.
import { Button } from "@/components/ui/button";
import { type DemoRow, newKey } from "./editor-model";

const INPUT =
  "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

export function DemosEditor({
  demos,
  variables,
  onChange,
}: {
  demos: DemoRow[];
  /** The declared variable names: one input per name. */
  variables: string[];
  onChange: (demos: DemoRow[]) => void;
}) {
  const update = (key: string, patch: Partial<DemoRow>) =>
    onChange(demos.map((demo) => (demo.key === key ? { ...demo, ...patch } : demo)));
  return (
    <div className="space-y-3">
      {demos.length === 0 ? <p className="text-sm text-slate-600">No few-shot demos.</p> : null}
      <ol className="space-y-3">
        {demos.map((demo, index) => (
          <li key={demo.key} className="rounded-md border border-slate-200 p-3">
            <div className="mb-2 flex items-center justify-between gap-2">
              <p className="text-xs font-medium text-slate-500">Demo {index + 1}</p>
              <Button
                variant="ghost"
                className="px-2 py-1"
                aria-label={`Remove demo ${index + 1}`}
                onClick={() => onChange(demos.filter((d) => d.key !== demo.key))}
              >
                Remove
              </Button>
            </div>
            <div className="grid gap-2 sm:grid-cols-2">
              {variables.map((name) => (
                <label key={name} className="block text-xs text-slate-600">
                  <span className="font-mono">{name}</span>
                  <input
                    aria-label={`Demo ${index + 1}: ${name}`}
                    value={demo.input[name] ?? ""}
                    onChange={(e) => update(demo.key, { input: { ...demo.input, [name]: e.target.value } })}
                    className={`${INPUT} mt-0.5`}
                  />
                </label>
              ))}
              <label className="block text-xs text-slate-600 sm:col-span-2">
                <span className="font-medium">Output</span>
                <textarea
                  aria-label={`Demo ${index + 1}: output`}
                  value={demo.output}
                  rows={2}
                  onChange={(e) => update(demo.key, { output: e.target.value })}
                  className={`${INPUT} mt-0.5 font-mono`}
                />
              </label>
            </div>
          </li>
        ))}
      </ol>
      <Button
        variant="secondary"
        onClick={() => onChange([...demos, { key: newKey("demo"), input: {}, output: "" }])}
      >
        Add demo
      </Button>
    </div>
  );
}
