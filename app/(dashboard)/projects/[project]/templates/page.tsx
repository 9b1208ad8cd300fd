import type { Metadata } from "next";
import { ImportTemplateForm } from "@/components/templates/import-template-form";
import { templatePath } from "@/components/templates/labels";
import { TemplateCard } from "@/components/templates/template-card";
import { TemplateFilters } from "@/components/templates/template-filters";
import { EmptyState, PageHeader, Section } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { metricNames } from "@/lib/metrics/registry";
import { getProjectView } from "@/lib/services/projects";
import { listTemplates } from "@/lib/services/templates";
import { type TemplateListQuery, templateListQuerySchema } from "@/lib/validation/template-api";

export const metadata: Metadata = { title: "Templates" };

/** The search form's fields; an empty or unknown value is no filter. */
function queryFrom(search: Record<string, string | string[] | undefined>): TemplateListQuery {
  const field = (name: string) => {
    const value = search[name];
    return typeof value === "string" && value.trim() ? value : undefined;
  };
  const parsed = templateListQuerySchema.safeParse({ q: field("q"), category: field("category") });
  const metric = field("metric");
  return {
    ...(parsed.success ? parsed.data : {}),
    ...(metric && (metricNames as string[]).includes(metric) ? { metric } : {}),
  };
}

export default async function TemplatesPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { project: slug } = await params;
  const query = queryFrom(await searchParams);
  const { db, access } = await requireProjectPage(slug, templatePath(slug));
  const [found, view] = await Promise.all([listTemplates(db, access, query), getProjectView(db, access)]);
  const canWrite = hasRole(access.role, "editor") && view.archivedAt === null;
  const own = found.filter((t) => t.source === "project");
  const library = found.filter((t) => t.source === "library");
  const filtered = Boolean(query.q || query.category || query.metric);
  const grid = "grid gap-4 sm:grid-cols-2 xl:grid-cols-3";
  return (
    <>
      <PageHeader
        title="Templates"
        description="Ready-made prompts with typed variables, an example dataset and suggested metrics. Use one to get a task you can evaluate and optimize right away."
      />
      <Section title="Find a template" id="find-template">
        <TemplateFilters project={slug} query={query} metrics={[...metricNames]} />
      </Section>
      {found.length === 0 ? (
        <EmptyState title={filtered ? "No template matches" : "No templates yet"}>
          {filtered ? (
            <p>Try other words, or clear the category and metric filters.</p>
          ) : canWrite ? (
            <p>
              Import a template file below, or save a prompt version as a template from its task&apos;s page.
            </p>
          ) : (
            <p>Editors can import templates or save prompt versions as templates.</p>
          )}
        </EmptyState>
      ) : null}
      {own.length > 0 ? (
        <Section title="This project's templates" id="project-templates">
          <ul className={grid} aria-label="This project's templates">
            {own.map((t) => (
              <TemplateCard key={t.slug} project={slug} template={t} />
            ))}
          </ul>
        </Section>
      ) : null}
      {library.length > 0 ? (
        <Section title={`Library (${library.length})`} id="library">
          <ul className={grid} aria-label="Template library">
            {library.map((t) => (
              <TemplateCard key={t.slug} project={slug} template={t} />
            ))}
          </ul>
        </Section>
      ) : null}
      {canWrite ? (
        <Section title="Import a template">
          <ImportTemplateForm project={slug} />
        </Section>
      ) : null}
    </>
  );
}
