// Everything a generation holds: when and how it was served (version, label, model, experiment and
// variant, subject), its figures, the variables it was rendered with, and its output or error.
import Link from "next/link";
import { count, usd } from "@/components/runs/format";
import { Time } from "@/components/ui/page";
import type { GenerationDetail } from "@/lib/validation/generations";
import { latencyText } from "./generation-figures";

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{term}</dt>
      <dd className="mt-0.5 break-words">{children}</dd>
    </div>
  );
}

export function GenerationView({
  project,
  taskPath,
  generation: g,
}: {
  project: string;
  /** The task page's path. */
  taskPath: string;
  generation: GenerationDetail;
}) {
  const variables = Object.entries(g.variables);
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm md:grid-cols-4">
        <Fact term="Version">
          <Link href={`${taskPath}?version=${g.version}`} className="text-indigo-700 hover:underline">
            Version {g.version}
          </Link>
        </Fact>
        <Fact term="Label">{g.label ?? <span className="text-slate-500">by version</span>}</Fact>
        <Fact term="Created">
          <Time value={g.createdAt} />
        </Fact>
        <Fact term="Model">
          <code className="text-xs">{g.model}</code>
        </Fact>
        <Fact term="Latency">{latencyText(g.latencyMs)}</Fact>
        <Fact term="Tokens">
          {count(g.inputTokens)} in · {count(g.outputTokens)} out
        </Fact>
        <Fact term="Cost">
          {usd(g.costUsd)}
          {g.cached ? " (cached)" : ""}
        </Fact>
        <Fact term="Subject">
          {g.subjectId !== null ? (
            <span className="break-all font-mono text-xs">{g.subjectId}</span>
          ) : (
            <span className="text-slate-500">none</span>
          )}
        </Fact>
        {g.experiment ? (
          <Fact term="Experiment">
            <Link
              href={`/projects/${project}/experiments/${g.experiment.id}`}
              className="text-indigo-700 underline"
            >
              {g.experiment.name}
            </Link>
            , variant {g.experiment.variant}
            {g.experiment.variant === 0 ? " (control)" : ""}
          </Fact>
        ) : null}
      </dl>

      <div>
        <h3 className="mb-2 text-sm font-semibold">Variables</h3>
        {variables.length ? (
          <dl className="space-y-1 text-sm">
            {variables.map(([name, value]) => (
              <div key={name} className="flex gap-3">
                <dt className="shrink-0 font-mono text-xs text-slate-500">{name}</dt>
                <dd className="min-w-0 whitespace-pre-wrap break-words">{String(value)}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="text-sm text-slate-500">None.</p>
        )}
      </div>

      <div>
        <h3 className="mb-2 text-sm font-semibold">{g.error !== null ? "Error" : "Output"}</h3>
        {g.error !== null ? (
          <p className="whitespace-pre-wrap break-words text-sm text-red-700">{g.error}</p>
        ) : (
          <pre
            data-testid="generation-output"
            className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
          >
            {g.output}
          </pre>
        )}
      </div>
    </div>
  );
}
