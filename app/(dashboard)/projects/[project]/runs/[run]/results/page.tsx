import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ResultsTable } from "@/components/runs/results-table";
import { Alert } from "@/components/ui/alert";
import { BackLink } from "@/components/ui/back-link";
import { LinkPager } from "@/components/ui/link-pager";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { StatusBadge } from "@/components/ui/status-badge";
import { requireProjectPage } from "@/lib/auth/pages";
import { AppError, NotFoundError } from "@/lib/core/errors";
import { getProjectRun, type ProjectRunDetail } from "@/lib/services/runs/reads";
import { listRunResults, type RunResultPage } from "@/lib/services/runs/results";
import { RESULT_VIEWS, type ResultView, resultViewSchema } from "@/lib/validation/runs";

export const metadata: Metadata = { title: "Run results" };

const PAGE_SIZE = 25;

const VIEW_LABELS: Record<ResultView, { label: string; description: string }> = {
  all: { label: "All", description: "every example" },
  regressed: { label: "Regressed", description: "the winner scored lower than the baseline" },
  improved: { label: "Improved", description: "the winner scored higher than the baseline" },
  unchanged: { label: "Unchanged", description: "the same score" },
};

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

export default async function RunResultsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string; run: string }>;
  searchParams: Promise<{ view?: string | string[]; cursor?: string | string[] }>;
}) {
  const { project: slug, run: runId } = await params;
  const query = await searchParams;
  const base = `/projects/${slug}/runs/${runId}/results`;
  const { db, access } = await requireProjectPage(slug, base);
  let run: ProjectRunDetail;
  try {
    run = await getProjectRun(db, access, runId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const optimize = run.kind === "optimize";
  const views: readonly ResultView[] = optimize ? RESULT_VIEWS : ["all"];
  const asked = one(query.view) ?? "all";
  const parsed = resultViewSchema.safeParse(asked);
  const view = parsed.success && views.includes(parsed.data) ? parsed.data : null;
  const cursor = one(query.cursor);
  let page: RunResultPage | null = null;
  let problem: string | null =
    view === null ? `There is no view "${asked}" here: choose ${views.join(", ")}.` : null;
  if (view) {
    try {
      page = await listRunResults(db, access, runId, { view, cursor: cursor ?? null, limit: PAGE_SIZE });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      problem = error.message;
    }
  }
  const href = (v: ResultView, next?: string) =>
    `${base}?view=${v}${next ? `&cursor=${encodeURIComponent(next)}` : ""}`;
  const download = (format: "csv" | "jsonl") =>
    `/api/v1/projects/${slug}/runs/${runId}/results/download?format=${format}&view=${view ?? "all"}`;
  const hasWinner = optimize;

  return (
    <>
      <BackLink href={`/projects/${slug}/runs/${runId}`}>
        {optimize ? "Optimization" : "Evaluation"} of {run.taskName}
      </BackLink>
      <PageHeader
        title={`Results of ${run.taskName}`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <StatusBadge status={run.status} />
            <span>
              {optimize
                ? `Held-out test split: version ${run.references.baselineVersion.version} (baseline) against the winner${run.winner.version !== null ? ` (version ${run.winner.version})` : ""}, example by example.`
                : `Every example of ${run.references.dataset.name} v${run.references.dataset.version}.`}
            </span>
          </span>
        }
      />
      <Section title="Examples" id="run-results">
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <nav aria-label="Filter results">
            <ul className="flex flex-wrap gap-1">
              {views.map((v) => (
                <li key={v}>
                  <Link
                    href={href(v)}
                    aria-current={v === view ? "page" : undefined}
                    title={VIEW_LABELS[v].description}
                    className={`inline-block rounded-md px-3 py-1.5 text-sm font-medium ${
                      v === view
                        ? "bg-indigo-600 text-white"
                        : "border border-slate-300 bg-white text-slate-700 hover:bg-slate-100"
                    }`}
                  >
                    {VIEW_LABELS[v].label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <p className="flex gap-3 text-sm">
            <a href={download("csv")} download className="text-indigo-700 hover:underline">
              Download CSV
            </a>
            <a href={download("jsonl")} download className="text-indigo-700 hover:underline">
              Download JSONL
            </a>
          </p>
        </div>
        {view && view !== "all" ? (
          <p className="mb-3 text-xs text-slate-600">
            {VIEW_LABELS[view].label}: {VIEW_LABELS[view].description}.
          </p>
        ) : null}
        {problem ? (
          <Alert tone="error">{problem}</Alert>
        ) : page && page.items.length === 0 ? (
          <EmptyState title={cursor ? "No more examples" : "No examples in this view"}>
            {run.report
              ? view === "all"
                ? "This run recorded no held-out results."
                : "Try another filter."
              : "Results are recorded when the run reaches its final test."}
          </EmptyState>
        ) : page ? (
          <>
            <ResultsTable items={page.items} hasWinner={hasWinner} />
            <LinkPager
              first={cursor ? { href: href(view ?? "all"), text: "First page" } : null}
              next={
                page.nextCursor ? { href: href(view ?? "all", page.nextCursor), text: "Next page" } : null
              }
            />
          </>
        ) : null}
      </Section>
    </>
  );
}
