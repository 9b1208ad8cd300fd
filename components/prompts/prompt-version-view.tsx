// Everything a prompt version holds: its message, the two prompts, its typed variables, the serving
// model and its parameters, the demos, and where it came from (source, run, author).
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { PromptVersion } from "@/lib/validation/prompts";
import { PromptText } from "./prompt-text";
import { SourceBadge } from "./source-badge";
import { VariableSchemaTable } from "./variable-schema-table";

const PARAM_LABELS: Record<string, string> = {
  temperature: "Temperature",
  maxOutputTokens: "Max output tokens",
  topP: "Top p",
  seed: "Seed",
};

export function PromptVersionView({ project, version }: { project: string; version: PromptVersion }) {
  const params = Object.entries(version.params).filter(([, v]) => v !== undefined);
  return (
    <div className="space-y-6">
      {version.message ? (
        <p className="text-sm text-slate-800" data-testid="version-message">
          <span className="sr-only">Message: </span>
          {version.message}
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm lg:grid-cols-5">
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
          <dt className="text-xs uppercase tracking-wide text-slate-500">Author</dt>
          <dd className="mt-0.5 truncate" title={version.createdBy ?? undefined}>
            {version.createdBy ?? (
              <span className="text-slate-500">{version.runId ? "the run" : "the CLI"}</span>
            )}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs uppercase tracking-wide text-slate-500">Content hash</dt>
          <dd className="mt-0.5 truncate font-mono text-xs" title={version.contentHash}>
            {version.contentHash.slice(0, 12)}
          </dd>
        </div>
      </dl>

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
        {/* min-w-0: else the column grows to the table's width and a phone's page scrolls sideways. */}
        <div className="min-w-0">
          <h3 className="mb-2 text-sm font-semibold">Variables</h3>
          <VariableSchemaTable schema={version.variableSchema} declared={version.variablesDeclared} />
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold">Model</h3>
          <p className="mb-2 text-sm">
            Serving model: <code>{version.model ?? "sim:default"}</code>
            {version.model ? null : <span className="text-slate-500"> (the project default)</span>}
          </p>
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
