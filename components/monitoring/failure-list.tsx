// The latest failed runs and batches: what failed, at which step, and why (the stored reason), each
// linking to its page.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { FailedJob } from "@/lib/services/monitoring";

const NOUNS = { run: "Run", batch: "Batch" } as const;
const LISTS = { run: "runs", batch: "batches" } as const;

export function FailureList({ failures, base }: { failures: FailedJob[]; base: string }) {
  return (
    <ul className="divide-y divide-slate-100" data-testid="recent-failures">
      {failures.map((f) => (
        <li key={`${f.job}-${f.id}`} className="py-3 text-sm">
          <p className="flex flex-wrap items-baseline gap-x-2">
            <Link
              href={`${base}/${LISTS[f.job]}/${f.id}`}
              className="font-medium text-indigo-700 hover:underline"
            >
              {`${NOUNS[f.job]} of ${f.taskName}`}
            </Link>
            <span className="text-slate-600">{f.detail}</span>
            <span className="text-xs text-slate-600">
              <Time value={f.failedAt} />
            </span>
          </p>
          <p className="mt-1 text-slate-700">
            {f.failedStep ? (
              <span className="font-mono text-xs text-slate-600">{`${f.failedStep}: `}</span>
            ) : null}
            <span className="break-words">{f.error ?? "No reason was recorded."}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}
