import type { Metadata } from "next";
import Link from "next/link";
import { RunFilters, runFilterQuery, runFiltersFrom } from "@/components/runs/run-filters";
import { RunsTable } from "@/components/runs/runs-table";
import { Alert } from "@/components/ui/alert";
import { LinkPager } from "@/components/ui/link-pager";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { AppError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { decodeCursor, encodeCursor } from "@/lib/http/pagination";
import type { Page } from "@/lib/services/pagination";
import { listPromptTasks } from "@/lib/services/prompts";
import { listProjectRuns, type RunSummary } from "@/lib/services/runs/reads";

export const metadata: Metadata = { title: "Runs" };

const PAGE_SIZE = 25;

export default async function RunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { project: slug } = await params;
  const query = await searchParams;
  const filters = runFiltersFrom(query);
  const filterQuery = runFilterQuery(filters);
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/runs`);
  const canStart = hasRole(access.role, "editor");
  const header = (
    <PageHeader
      title="Runs"
      description="Optimization and evaluation runs of this project, newest first. Runs started with the CLI land in the project named default."
      actions={
        canStart ? (
          <Link
            href={`/projects/${slug}/runs/new`}
            className="inline-flex items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
          >
            Start a run
          </Link>
        ) : null
      }
    />
  );
  let page: Page<RunSummary>;
  const paged = typeof query.cursor === "string";
  try {
    page = await listProjectRuns(db, access, {
      cursor: decodeCursor(paged ? (query.cursor as string) : null),
      limit: PAGE_SIZE,
      ...filters,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <>
        {header}
        <Alert tone="error">{error.message}</Alert>
      </>
    );
  }
  const base = `/projects/${slug}/runs`;
  const tasks = (await listPromptTasks(db, access)).map((t) => t.name);
  const withFilters = (extra: string) => `${base}?${[filterQuery, extra].filter(Boolean).join("&")}`;
  return (
    <>
      {header}
      {page.items.length === 0 && !paged && filterQuery !== "" ? (
        <Section title="All runs">
          <RunFilters base={base} filters={filters} tasks={tasks} />
          <EmptyState title="No runs match these filters">
            <Link href={base} className="text-indigo-700 hover:underline">
              Show all runs
            </Link>
          </EmptyState>
        </Section>
      ) : page.items.length === 0 && !paged ? (
        <EmptyState title="No runs yet">
          <p>
            {canStart ? (
              <>
                <Link href={`/projects/${slug}/runs/new`} className="text-indigo-700 hover:underline">
                  Start a run
                </Link>{" "}
                here, or run an optimization from the command line:{" "}
              </>
            ) : (
              "Run an optimization from the command line: "
            )}
            <code>npm run strop -- optimize examples/sentiment/task.yaml</code>
          </p>
        </EmptyState>
      ) : (
        <Section title="All runs">
          <RunFilters base={base} filters={filters} tasks={tasks} />
          <form
            id="compare-runs"
            method="get"
            action={`${base}/compare`}
            className="mb-3 flex flex-wrap items-center gap-3 text-sm text-slate-600"
          >
            <p>Select two or more runs to compare their scores, cost and prompts side by side.</p>
            <button
              type="submit"
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-100"
            >
              Compare selected runs
            </button>
          </form>
          <RunsTable
            project={slug}
            runs={page.items}
            caption="Runs of this project, newest first"
            compareForm="compare-runs"
          />
          <LinkPager
            first={
              paged ? { href: filterQuery ? `${base}?${filterQuery}` : base, text: "Newest runs" } : null
            }
            next={
              page.next
                ? { href: withFilters(`cursor=${encodeCursor(page.next)}`), text: "Older runs" }
                : null
            }
          />
        </Section>
      )}
    </>
  );
}
