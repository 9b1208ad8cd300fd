// The newest feedback (on an experiment, a version or a generation): what was said, by whom, and —
// given `generationHref` — a link to the generation it is about.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { FeedbackView } from "@/lib/validation/feedback";

function valueText(f: FeedbackView): string {
  if (f.category !== null) return f.category;
  if (f.value === null) return "—";
  return Number.isInteger(f.value) ? String(f.value) : f.value.toPrecision(3);
}

export function FeedbackStream({
  items,
  generationHref,
}: {
  items: FeedbackView[];
  /** The page of a generation (absent: no links). */
  generationHref?: (generationId: string) => string;
}) {
  return (
    <ul className="divide-y divide-slate-100 text-sm" aria-label="Feedback, newest first">
      {items.map((f) => (
        <li key={f.id} className="py-2">
          <p>
            <span className="font-medium">{f.name}</span>: {valueText(f)}{" "}
            <span className="text-xs text-slate-500">
              from {f.source} ({f.actorLabel}), <Time value={f.createdAt} />
              {generationHref && f.generationId !== null ? (
                <>
                  {" · "}
                  <Link href={generationHref(f.generationId)} className="text-indigo-700 underline">
                    the generation<span className="sr-only"> {f.generationId}</span>
                  </Link>
                </>
              ) : null}
            </span>
          </p>
          {f.comment ? <p className="text-slate-700">“{f.comment}”</p> : null}
          {f.correction ? (
            <p className="text-slate-700">
              Correction: <span className="whitespace-pre-wrap">{f.correction}</span>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
