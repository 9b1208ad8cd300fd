// Everything a prompt version holds: the two prompts, the template's variables, the model parameters,
// the demos, and where it came from.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { PromptVersionRecord } from "@/lib/db";
import { PromptText } from "./prompt-text";
import { SourceBadge } from "./source-badge";

const PARAM_LABELS: Record<string, string> = {
  temperature: "Temperature",
  maxOutputTokens: "Max output tokens",
  topP: "Top p",
  seed: "Seed",
};

export function PromptVersionView({ project, version }: { project: string; version: PromptVersionRecord }) {
  const params = Object.entries(version.params).filter(([, v]) => v !== undefined);
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm lg:grid-cols-4">
        <div>
          <dt className="text-xs uppercase tracking-wide text-slate-500">Source</dt>
          <dd className="mt-0.5">
            <SourceBadge source={version.source} />
          </dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-slate-500">Produced by</dt>
          <dd className="mt-0.5">
            {version.runId ? (
              <Link
                href={`/projects/${project}/runs/${version.runId}`}
                className="text-indigo-700 hover:underline"
              >
                run <code className="text-xs">{version.runId.slice(0, 10)}</code>
              </Link>
            ) : (
              <span className="text-slate-500">{version.source === "file" ? "a task file" : "no run"}</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs uppercase tracking-wide text-slate-500">Created</dt>
          <dd className="mt-0.5">
            <Time value={version.createdAt} />
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs uppercase tracking-wide text-slate-500">Content hash</dt>
          <dd className="mt-0.5 truncate font-mono text-xs" title={version.contentHash}>
            {version.contentHash.slice(0, 12)}
          </dd>
        </div>
      </dl>
      {version.note ? <p className="text-sm text-slate-700">{version.note}</p> : null}

      <div className="grid gap-6 xl:grid-cols-2">
        <div className="min-w-0">
          <h3 className="mb-2 text-sm font-semibold">System prompt</h3>
          <PromptText text={version.systemPrompt} />
        </div>
        <div className="min-w-0">
          <h3 className="mb-2 text-sm font-semibold">Output prompt</h3>
          <PromptText text={version.outputPrompt} />
        </div>
      </div>

      <div className="grid gap-6 md:grid-cols-2">
        <div>
          <h3 className="mb-2 text-sm font-semibold">Variables</h3>
          {version.variables.length ? (
            <ul className="flex flex-wrap gap-2" aria-label="Template variables">
              {version.variables.map((v) => (
                <li key={v}>
                  <code className="rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-900">{`{{${v}}}`}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-500">None: the output prompt is fixed text.</p>
          )}
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold">Model parameters</h3>
          {params.length ? (
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
              {params.map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className="text-slate-500">{PARAM_LABELS[name] ?? name}</dt>
                  <dd className="tabular-nums">{String(value)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="text-sm text-slate-500">Provider defaults.</p>
          )}
        </div>
      </div>

      <div>
        <h3 className="mb-2 text-sm font-semibold">Demos ({version.demos.length})</h3>
        {version.demos.length ? (
          <ol className="space-y-2">
            {version.demos.map((demo, i) => (
              <li
                // biome-ignore lint/suspicious/noArrayIndexKey: demos are an ordered, immutable list
                key={i}
                className="rounded-md border border-slate-200 p-3 text-sm"
              >
                <p className="mb-1 text-xs font-medium text-slate-500">Demo {i + 1}</p>
                <dl className="space-y-1">
                  {Object.entries(demo.input).map(([name, value]) => (
                    <div key={name} className="flex gap-2">
                      <dt className="shrink-0 font-mono text-xs text-slate-500">{name}</dt>
                      <dd className="min-w-0 break-words">{value}</dd>
                    </div>
                  ))}
                  <div className="flex gap-2">
                    <dt className="shrink-0 font-mono text-xs text-slate-500">output</dt>
                    <dd className="min-w-0 break-words font-medium">{demo.output}</dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-500">No few-shot demos.</p>
        )}
      </div>
    </div>
  );
}
