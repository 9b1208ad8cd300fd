// The facts of one run: what it ran on, when, and what it cost.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { ProjectRunDetail } from "@/lib/services/runs/reads";
import { count, durationText, latencyText, runDuration, usd } from "./format";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm">{children}</dd>
    </div>
  );
}

export function RunFacts({ project, run }: { project: string; run: ProjectRunDetail }) {
  const { baselineVersion, bestVersion, dataset } = run.references;
  const took = runDuration(run);
  const versionLink = (v: { version: number }) => (
    <Link
      href={`/projects/${project}/prompts/${encodeURIComponent(run.taskName)}?version=${v.version}`}
      className="text-indigo-700 hover:underline"
    >
      version {v.version}
    </Link>
  );
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-3 xl:grid-cols-4">
      <Fact label="Task">
        <Link
          href={`/projects/${project}/prompts/${encodeURIComponent(run.taskName)}`}
          className="text-indigo-700 hover:underline"
        >
          {run.taskName}
        </Link>
      </Fact>
      <Fact label="Started from">{versionLink(baselineVersion)}</Fact>
      <Fact label="Best prompt">
        {run.winner.available && !run.winner.saved ? (
          <a href="#run-winner-heading" className="text-indigo-700 hover:underline">
            the winner, not saved yet
          </a>
        ) : bestVersion && bestVersion.id !== baselineVersion.id ? (
          versionLink(bestVersion)
        ) : bestVersion ? (
          <>the baseline ({versionLink(bestVersion)})</>
        ) : run.status === "cancelled" || run.status === "failed" ? (
          <span className="text-slate-500">
            {`none: the run ${run.status === "cancelled" ? "was cancelled" : "failed"} before choosing one`}
          </span>
        ) : (
          <span className="text-slate-500">not yet</span>
        )}
      </Fact>
      <Fact label="Dataset">
        {dataset.name} v{dataset.version} · {count(dataset.rowCount)} rows
      </Fact>
      <Fact label="Created">
        <Time value={run.createdAt} />
      </Fact>
      <Fact label="Finished">
        <Time value={run.finishedAt} />
      </Fact>
      <Fact label="Took">{took === null ? "–" : durationText(took)}</Fact>
      <Fact label="Seed">{run.seed}</Fact>
      <Fact label="Runner">{run.runner === "cli" ? "the CLI (strop optimize)" : run.runner}</Fact>
      <Fact label="Model calls">{count(run.calls)}</Fact>
      <Fact label="Tokens">
        {count(run.inputTokens)} in · {count(run.outputTokens)} out
      </Fact>
      <Fact label="Cost">{usd(run.costUsd)}</Fact>
      <Fact label="Retried requests">{count(run.retries)}</Fact>
      <Fact label="Task model latency">{latencyText(run.latency)}</Fact>
      <Fact label="Run id">
        <code className="text-xs">{run.id}</code>
      </Fact>
    </dl>
  );
}
