// The task's versions, newest first, page by page: number, source, the labels on it, its message and
// when it was written; the selected one is marked as the current page.
import Link from "next/link";
import { Time } from "@/components/ui/page";
import type { PromptVersion } from "@/lib/validation/prompts";
import { SourceBadge } from "../source-badge";

export function VersionNav({
  base,
  versions,
  selected,
  latest,
  labelsByVersion,
  before,
  nextBefore,
  total,
}: {
  /** The task page's path. */
  base: string;
  versions: Pick<PromptVersion, "id" | "version" | "source" | "message" | "createdAt">[];
  selected: number;
  latest: number | null;
  labelsByVersion: Map<number, string[]>;
  before: number | null;
  nextBefore: number | null;
  total: number;
}) {
  const link = (extra: Record<string, string | number>) =>
    `${base}?${new URLSearchParams(Object.entries(extra).map(([k, v]) => [k, String(v)]))}`;
  return (
    <nav aria-label="Versions" className="lg:w-60 lg:shrink-0">
      <h2 className="mb-2 text-sm font-semibold">Versions ({total})</h2>
      <ul className="space-y-1">
        {versions.map((v) => (
          <li key={v.id}>
            <Link
              href={link({ version: v.version, ...(before ? { before } : {}) })}
              aria-current={v.version === selected ? "page" : undefined}
              className={`block rounded-md border px-3 py-2 text-sm ${v.version === selected ? "border-indigo-300 bg-indigo-50" : "border-transparent hover:bg-slate-100"}`}
            >
              <span className="flex items-center justify-between gap-2">
                <span className="whitespace-nowrap font-medium">Version {v.version}</span>
                <SourceBadge source={v.source} />
              </span>
              {(labelsByVersion.get(v.version) ?? []).length || v.version === latest ? (
                <span className="mt-1 flex flex-wrap gap-1">
                  {(labelsByVersion.get(v.version) ?? []).map((label) => (
                    <span
                      key={label}
                      className="rounded bg-emerald-100 px-1.5 text-xs font-medium text-emerald-900"
                    >
                      {label}
                    </span>
                  ))}
                  {v.version === latest ? (
                    <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-700">latest</span>
                  ) : null}
                </span>
              ) : null}
              {v.message ? (
                <span className="mt-0.5 block truncate text-xs text-slate-700">{v.message}</span>
              ) : null}
              <span className="mt-0.5 block text-xs text-slate-600">
                <Time value={v.createdAt} />
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <div className="mt-2 flex gap-3 text-sm">
        {before ? (
          <Link href={base} className="text-indigo-700 hover:underline">
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link href={link({ before: nextBefore })} className="text-indigo-700 hover:underline">
            Older versions
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
