// The newest feedback on an experiment: what was said, about which answer, by whom.
import { Time } from "@/components/ui/page";
import type { FeedbackView } from "@/lib/validation/feedback";

function valueText(f: FeedbackView): string {
  if (f.category !== null) return f.category;
  if (f.value === null) return "—";
  return Number.isInteger(f.value) ? String(f.value) : f.value.toPrecision(3);
}

export function FeedbackStream({ items }: { items: FeedbackView[] }) {
  return (
    <ul className="divide-y divide-slate-100 text-sm" aria-label="Feedback, newest first">
      {items.map((f) => (
        <li key={f.id} className="py-2">
          <p>
            <span className="font-medium">{f.name}</span>: {valueText(f)}{" "}
            <span className="text-xs text-slate-500">
              from {f.source} ({f.actorLabel}), <Time value={f.createdAt} />
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
