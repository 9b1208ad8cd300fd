// A generation's feedback in a few words: "2 judgments · 1 negative · 1 correction", or "no feedback".
import type { FeedbackCounts } from "@/lib/validation/generations";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function feedbackCountsText(counts: FeedbackCounts): string {
  if (counts.total === 0) return "no feedback";
  return [
    plural(counts.total, "judgment"),
    counts.negative > 0 ? `${counts.negative} negative` : null,
    counts.corrections > 0 ? plural(counts.corrections, "correction") : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

export function FeedbackCountsBadge({ counts }: { counts: FeedbackCounts }) {
  const tone =
    counts.total === 0
      ? "bg-slate-100 text-slate-700"
      : counts.negative > 0
        ? "bg-amber-100 text-amber-900"
        : "bg-emerald-100 text-emerald-900";
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>{feedbackCountsText(counts)}</span>
  );
}
