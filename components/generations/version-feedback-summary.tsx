// A version's feedback in one line per name — "thumbs_up: 74% positive of 120", "score: mean 3.2 of
// 40", "topic: billing 12, shipping 3" — with its corrections, linking to the version's generations
// (all of them, and those with negative feedback).
import Link from "next/link";
import type { FeedbackNameSummary, VersionFeedbackSummary } from "@/lib/validation/generations";

const n = (value: number) => value.toLocaleString("en-US");

function nameText(s: FeedbackNameSummary): string {
  const parts: string[] = [];
  if (s.positiveShare !== null)
    parts.push(`${Math.round(s.positiveShare * 100)}% positive of ${n(s.numericCount)}`);
  else if (s.mean !== null) parts.push(`mean ${Number(s.mean.toPrecision(3))} of ${n(s.numericCount)}`);
  if (s.categories.length) {
    const top = s.categories.slice(0, 3).map((c) => `${c.category} ${n(c.count)}`);
    parts.push(top.join(", ") + (s.categories.length > 3 ? ", …" : ""));
  }
  return parts.join("; ") || `${n(s.count)} judgments`;
}

export function VersionFeedbackSummaryView({
  summary,
  generationsPath,
}: {
  summary: VersionFeedbackSummary;
  /** The task's generations list. */
  generationsPath: string;
}) {
  const ofVersion = `${generationsPath}?version=${summary.version}`;
  if (summary.total === 0)
    return (
      <p className="text-sm text-slate-600" data-testid="version-feedback">
        No feedback on version {summary.version} yet.{" "}
        <Link href={ofVersion} className="text-indigo-700 underline">
          Its generations
        </Link>
      </p>
    );
  const negative = summary.names.some((s) => s.negative > 0);
  return (
    <div className="space-y-2 text-sm" data-testid="version-feedback">
      <ul className="space-y-1">
        {summary.names.map((s) => (
          <li key={s.name}>
            <span className="font-medium">{s.name}</span>: {nameText(s)}
            {s.negative > 0 ? <span className="text-slate-600"> · {n(s.negative)} negative</span> : null}
          </li>
        ))}
      </ul>
      <p className="text-slate-700">
        {n(summary.total)} judgment{summary.total === 1 ? "" : "s"} · {n(summary.corrections)} correction
        {summary.corrections === 1 ? "" : "s"}
      </p>
      <p className="flex flex-wrap gap-x-4 gap-y-1">
        <Link href={`${ofVersion}&feedback=any`} className="text-indigo-700 hover:underline">
          Generations of version {summary.version} with feedback
        </Link>
        {negative ? (
          <Link href={`${ofVersion}&feedback=negative`} className="text-indigo-700 hover:underline">
            With negative feedback
          </Link>
        ) : null}
      </p>
    </div>
  );
}
