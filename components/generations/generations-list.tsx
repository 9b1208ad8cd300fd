// A page of generations as cards (they wrap on a phone): when, which version and label, the output's
// start or the error, the figures, the subject and experiment, and the feedback counts. Each links to
// its generation page.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { GenerationSummary } from "@/lib/validation/generations";
import { FeedbackCountsBadge } from "./feedback-counts";
import { figuresText } from "./generation-figures";

export function GenerationsList({ base, items }: { base: string; items: GenerationSummary[] }) {
  return (
    <ul className="divide-y divide-slate-100" aria-label="Generations, newest first">
      {items.map((g) => (
        <li key={g.id} className="py-3" data-generation-id={g.id}>
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <Link href={`${base}/${g.id}`} className="font-medium text-indigo-700 hover:underline">
              Version {g.version}
              {g.label ? ` · ${g.label}` : ""}
              <span className="sr-only">, generation {g.id}</span>
            </Link>
            <span className="text-xs text-slate-500">
              <Time value={g.createdAt} />
            </span>
          </div>
          {g.error !== null ? (
            <p className="mt-1 break-words text-sm text-red-700">Failed: {g.error}</p>
          ) : (
            <p className="mt-1 line-clamp-2 break-words text-sm text-slate-800">{g.outputPreview}</p>
          )}
          <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
            <FeedbackCountsBadge counts={g.feedbackCounts} />
            <span className="font-mono">{g.model}</span>
            <span>{figuresText(g)}</span>
            {g.subjectId !== null ? <span className="break-all">subject {g.subjectId}</span> : null}
            {g.experiment ? (
              <span>
                {g.experiment.name}, variant {g.experiment.variant}
              </span>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
