// The project at a glance: how many runs, tasks, prompt versions and datasets it holds.
import Link from "next/link";
import type { ProjectCounts } from "@/lib/services/overview";

export function StatCards({ project, counts }: { project: string; counts: ProjectCounts }) {
  const base = `/projects/${project}`;
  const cards = [
    {
      label: "Runs",
      value: counts.runs,
      detail: counts.activeRuns ? `${counts.activeRuns} in progress` : "none in progress",
      href: `${base}/runs`,
    },
    { label: "Tasks", value: counts.tasks, detail: "with prompts", href: `${base}/prompts` },
    { label: "Prompt versions", value: counts.promptVersions, detail: "immutable", href: `${base}/prompts` },
    { label: "Datasets", value: counts.datasets, detail: "versioned", href: `${base}/datasets` },
  ];
  return (
    <ul className="mb-8 grid grid-cols-2 gap-4 lg:grid-cols-4" aria-label="Project totals">
      {cards.map((card) => (
        <li key={card.label}>
          <Link
            href={card.href}
            className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-300"
          >
            <span className="block text-xs font-medium uppercase tracking-wide text-slate-500">
              {card.label}
            </span>
            <span className="mt-1 block text-2xl font-semibold tabular-nums">{card.value}</span>
            <span className="block text-xs text-slate-500">{card.detail}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
