// Two or more runs side by side: one column per run, one row per fact (models, held-out scores and
// gain, validation, iterations, spend, time, why it stopped), then the prompt each ended with.
import Link from "next/link";
import type { StopReason } from "@/lib/core/report";
import type { ComparedRun } from "@/lib/services/runs/compare";
import { count, durationText, gainText, intervalText, pct, runDuration, usd } from "./format";
import { STOP_REASONS } from "./run-report";

type Row = { label: string; value: (c: ComparedRun) => React.ReactNode };

const ROWS: Row[] = [
  { label: "Status", value: (c) => c.run.status },
  { label: "Task model", value: (c) => <code className="text-xs">{c.run.config.models.task.id}</code> },
  {
    label: "Optimizer model",
    value: (c) => <code className="text-xs">{c.run.config.models.optimizer.id}</code>,
  },
  {
    label: "Strategy",
    value: (c) => `${c.run.config.optimizer.strategy}, K = ${c.run.config.optimizer.candidates}`,
  },
  { label: "Dataset", value: (c) => `${c.run.references.dataset.name} v${c.run.references.dataset.version}` },
  {
    label: "Baseline (test)",
    value: (c) => (c.run.score?.kind === "optimize" ? intervalText(c.run.score.baseline) : "–"),
  },
  {
    label: "Final (test)",
    value: (c) =>
      c.run.score?.kind === "optimize"
        ? intervalText(c.run.score.best)
        : c.run.score?.kind === "eval"
          ? intervalText(c.run.score.score)
          : "–",
  },
  { label: "Gain", value: (c) => (c.run.score?.kind === "optimize" ? gainText(c.run.score.gain) : "–") },
  {
    label: "Validation",
    value: (c) =>
      c.run.report?.kind === "optimize"
        ? `${pct(c.run.report.validation.baseline)} → ${pct(c.run.report.validation.best)}`
        : "–",
  },
  { label: "Iterations", value: (c) => count(c.iterationsRun) },
  { label: "Stopped because", value: (c) => (c.stopReason ? STOP_REASONS[c.stopReason as StopReason] : "–") },
  { label: "Model calls", value: (c) => count(c.run.calls) },
  { label: "Tokens", value: (c) => `${count(c.run.inputTokens)} in · ${count(c.run.outputTokens)} out` },
  { label: "Cost", value: (c) => usd(c.run.costUsd) },
  {
    label: "Took",
    value: (c) => {
      const took = runDuration(c.run);
      return took === null ? "–" : durationText(took);
    },
  },
];

function PromptCell({ compared }: { compared: ComparedRun }) {
  const prompt = compared.finalPrompt;
  if (!prompt) return <span className="text-slate-500">no report yet</span>;
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-500">{prompt.source}</p>
      {prompt.systemPrompt !== null ? (
        <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-sans text-xs">
          {prompt.systemPrompt}
        </pre>
      ) : null}
      {prompt.outputPrompt !== null ? (
        <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-sans text-xs">
          {prompt.outputPrompt}
        </pre>
      ) : null}
    </div>
  );
}

export function RunComparison({ project, runs }: { project: string; runs: ComparedRun[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-max text-left text-sm" data-testid="run-comparison">
        <caption className="sr-only">The selected runs side by side</caption>
        <thead className="border-b border-slate-200">
          <tr>
            <th scope="col" className="py-2 pr-4 text-xs uppercase text-slate-500">
              <span className="sr-only">Fact</span>
            </th>
            {runs.map((c) => (
              <th key={c.run.id} scope="col" className="max-w-xs py-2 pr-4 align-bottom">
                <Link
                  href={`/projects/${project}/runs/${c.run.id}`}
                  className="text-indigo-700 hover:underline"
                >
                  {c.run.taskName}
                </Link>
                <div className="font-mono text-xs font-normal text-slate-500">{c.run.id.slice(0, 10)}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {ROWS.map((row) => (
            <tr key={row.label}>
              <th scope="row" className="py-2 pr-4 font-medium text-slate-700">
                {row.label}
              </th>
              {runs.map((c) => (
                <td key={c.run.id} className="max-w-xs py-2 pr-4 tabular-nums">
                  {row.value(c)}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row" className="py-2 pr-4 align-top font-medium text-slate-700">
              Final prompt
            </th>
            {runs.map((c) => (
              <td key={c.run.id} className="max-w-xs py-2 pr-4 align-top">
                <PromptCell compared={c} />
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
