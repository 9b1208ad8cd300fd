import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeleteTemplateButton } from "@/components/templates/delete-template-button";
import { CATEGORY_LABELS, templateApiPath, templatePath } from "@/components/templates/labels";
import { TemplateContents } from "@/components/templates/template-contents";
import { UseTemplateButton } from "@/components/templates/use-template-button";
import { BackLink } from "@/components/ui/back-link";
import { PageHeader } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { NotFoundError } from "@/lib/core/errors";
import { hasRole } from "@/lib/core/roles";
import { getProjectView } from "@/lib/services/projects";
import { getTemplate } from "@/lib/services/templates";
import type { TemplateDetail } from "@/lib/validation/template-api";

export const metadata: Metadata = { title: "Template" };

const LINK =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100";

export default async function TemplatePage({
  params,
}: {
  params: Promise<{ project: string; template: string }>;
}) {
  const { project: slug, template: templateSlug } = await params;
  const { db, access } = await requireProjectPage(slug, templatePath(slug, templateSlug));
  let template: TemplateDetail;
  try {
    template = await getTemplate(db, access, templateSlug);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const view = await getProjectView(db, access);
  const canWrite = hasRole(access.role, "editor") && view.archivedAt === null;
  return (
    <>
      <BackLink href={templatePath(slug)}>Templates</BackLink>
      <PageHeader
        title={template.name}
        description={
          <>
            <span className="font-medium">{CATEGORY_LABELS[template.category]}</span>
            {template.source === "project" ? " · saved in this project" : " · from the library"}.{" "}
            {template.description}
          </>
        }
      />
      <div className="mb-6 space-y-3 rounded-lg border border-indigo-100 bg-indigo-50/50 p-4">
        <p className="text-sm text-slate-700">
          {canWrite
            ? `Using it creates a task named ${template.slug} (${template.slug}-2… when taken) with this prompt as version 1${template.rowCount > 0 ? `, a dataset of its ${template.rowCount} rows` : ""} and a metric configuration per suggested metric; then evaluate or optimize it from the task's page.`
            : "Editors can use this template to create a task, its dataset and metric configurations."}
        </p>
        <div className="flex flex-wrap items-start gap-2">
          {canWrite ? <UseTemplateButton project={slug} slug={template.slug} /> : null}
          <a
            href={templateApiPath(slug, `/${encodeURIComponent(template.slug)}/export`)}
            className={LINK}
            download
          >
            Export YAML
          </a>
        </div>
      </div>
      <TemplateContents template={template} />
      {canWrite && template.source === "project" ? (
        <DeleteTemplateButton project={slug} slug={template.slug} name={template.name} />
      ) : null}
    </>
  );
}
