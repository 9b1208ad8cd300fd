// Running and queued runs and batches as horizontal bars (a bar per kind and state, its count at the
// end), each kind linking to its list.
import Link from "next/link";
import type { JobActivity } from "@/lib/services/monitoring";

const NOUNS = { run: "Optimization runs", batch: "Batches" } as const;
const LISTS = { run: "runs", batch: "batches" } as const;

export function JobActivityChart({ jobs, base }: { jobs: JobActivity[]; base: string }) {
  const max = Math.max(1, ...jobs.flatMap((j) => [j.running, j.queued]));
  const rows = jobs.flatMap((j) => [
    { key: `${j.job}-running`, job: j.job, state: "running", count: j.running, tone: "bg-sky-600" },
    { key: `${j.job}-queued`, job: j.job, state: "queued", count: j.queued, tone: "bg-slate-400" },
  ]);
  return (
    <div className="space-y-3" data-testid="job-activity">
      <dl className="grid grid-cols-[max-content_1fr] items-center gap-x-3 gap-y-2 text-sm">
        {rows.map((row) => (
          <div key={row.key} className="contents" data-job={row.job} data-state={row.state}>
            <dt className="text-slate-700">{`${NOUNS[row.job]}, ${row.state}`}</dt>
            <dd className="flex items-center gap-2">
              <span aria-hidden="true" className="block h-3 w-full max-w-md rounded-sm bg-slate-100">
                <span
                  className={`block h-3 rounded-sm ${row.tone}`}
                  style={{ width: `${row.count === 0 ? 0 : Math.max(2, (row.count / max) * 100)}%` }}
                />
              </span>
              <span className="tabular-nums">{row.count}</span>
            </dd>
          </div>
        ))}
      </dl>
      <p className="text-sm">
        {jobs.map((j, i) => (
          <span key={j.job}>
            {i > 0 ? " · " : null}
            <Link href={`${base}/${LISTS[j.job]}`} className="text-indigo-700 hover:underline">
              {`All ${NOUNS[j.job].toLowerCase()}`}
            </Link>
          </span>
        ))}
      </p>
    </div>
  );
}
