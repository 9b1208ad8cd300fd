import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  GenerationFiltersForm,
  generationFilterQuery,
  generationFiltersFrom,
} from "@/components/generations/generation-filters";
import { GenerationsList } from "@/components/generations/generations-list";
import { Alert } from "@/components/ui/alert";
import { BackLink } from "@/components/ui/back-link";
import { LinkPager } from "@/components/ui/link-pager";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { AppError, NotFoundError } from "@/lib/core/errors";
import { decodeCursor, encodeCursor } from "@/lib/http/pagination";
import { listProjectExperiments } from "@/lib/services/experiments";
import { listTaskGenerations, taskGenerationCounts } from "@/lib/services/generations";
import type { Page } from "@/lib/services/pagination";
import { listTaskVersionNumbers } from "@/lib/services/prompts/reads";
import type { GenerationSummary } from "@/lib/validation/generations";

export const metadata: Metadata = { title: "Generations" };

const PAGE_SIZE = 25;

export default async function GenerationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string; task: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { project: slug, task: name } = await params;
  const query = await searchParams;
  const taskPath = `/projects/${slug}/prompts/${encodeURIComponent(name)}`;
  const base = `${taskPath}/generations`;
  const { db, access } = await requireProjectPage(slug, base);
  const filters = generationFiltersFrom(query);
  const filterQuery = generationFilterQuery(filters);
  const paged = typeof query.cursor === "string";
  let counts: Awaited<ReturnType<typeof taskGenerationCounts>>;
  try {
    counts = await taskGenerationCounts(db, access, name);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const header = (
    <>
      <BackLink href={taskPath}>{name}</BackLink>
      <PageHeader
        title="Generations"
        description={`What ${name} answered through the serving API, newest first: ${counts.total.toLocaleString("en-US")} in all, ${counts.withFeedback.toLocaleString("en-US")} with feedback.`}
      />
    </>
  );
  let page: Page<GenerationSummary>;
  try {
    page = await listTaskGenerations(db, access, name, {
      ...filters,
      cursor: decodeCursor(paged ? (query.cursor as string) : null),
      limit: PAGE_SIZE,
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
  if (counts.total === 0)
    return (
      <>
        {header}
        <EmptyState title="No generations yet">
          <p>
            A generation is stored each time an application calls the serving API's generate endpoint,{" "}
            <code className="break-all">
              POST /api/v1/projects/{slug}/prompts/{name}/generate
            </code>
            , with the prompt's variables. Its answer carries a <code>generationId</code> and a feedback token
            for sending feedback.
          </p>
          <p className="mt-2">
            See the{" "}
            <Link href="/docs/api" className="text-indigo-700 underline">
              API reference
            </Link>{" "}
            (serving), or try the prompt in the{" "}
            <Link href={`/projects/${slug}/playground`} className="text-indigo-700 underline">
              playground
            </Link>
            .
          </p>
        </EmptyState>
      </>
    );
  const [versions, experiments] = await Promise.all([
    listTaskVersionNumbers(db, access, name),
    listProjectExperiments(db, access),
  ]);
  const withFilters = (extra: string) => `${base}?${[filterQuery, extra].filter(Boolean).join("&")}`;
  return (
    <>
      {header}
      <Section title="All generations">
        <GenerationFiltersForm
          base={base}
          filters={filters}
          versions={versions}
          experiments={experiments.items
            .filter((e) => e.task === name)
            .map((e) => ({ id: e.id, name: e.name }))}
        />
        {page.items.length === 0 ? (
          <EmptyState title={paged ? "No older generations" : "No generations match these filters"}>
            <Link href={base} className="text-indigo-700 hover:underline">
              Show all generations
            </Link>
          </EmptyState>
        ) : (
          <GenerationsList base={base} items={page.items} />
        )}
        <LinkPager
          first={
            paged ? { href: filterQuery ? `${base}?${filterQuery}` : base, text: "Newest generations" } : null
          }
          next={
            page.next
              ? { href: withFilters(`cursor=${encodeCursor(page.next)}`), text: "Older generations" }
              : null
          }
        />
      </Section>
    </>
  );
}
