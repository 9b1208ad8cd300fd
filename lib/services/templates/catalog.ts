// Reading templates: the built-in library and the project's own (saved or imported), searched and
// filtered, one in full, and any of them as a YAML file. A project template's slug shadows a library
// one (saving and importing refuse slugs the library has, so this only happens when a later release
// adds one). Viewers may read everything here.
import type { ProjectAccess } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import {
  type Db,
  findProjectTemplate,
  listProjectTemplateRecords,
  type ProjectTemplateRecord,
} from "@/lib/db";
import {
  findLibraryTemplate,
  loadLibrary,
  parseTemplateYaml,
  searchTemplates,
  templateToYaml,
} from "@/lib/templates";
import type { TemplateDetail, TemplateListQuery, TemplateSummary } from "@/lib/validation/template-api";
import type { TemplateDocument } from "@/lib/validation/templates";
import { safeFileName } from "../file-download";

/** Dataset rows shown with a template. */
export const PREVIEW_ROWS = 20;

export interface ResolvedTemplate {
  doc: TemplateDocument;
  source: "library" | "project";
  createdAt: Date | null;
}

/** A stored project template's document (stored YAML was checked when it was saved or imported). */
function projectDocument(record: ProjectTemplateRecord): ResolvedTemplate {
  return { doc: parseTemplateYaml(record.document), source: "project", createdAt: record.createdAt };
}

export function templateSummary({ doc, source, createdAt }: ResolvedTemplate): TemplateSummary {
  return {
    slug: doc.slug,
    name: doc.name,
    category: doc.category,
    description: doc.description,
    tags: doc.tags,
    metrics: [...new Set(doc.metrics.map((m) => m.name))],
    variables: Object.keys(doc.variables.properties),
    rowCount: doc.dataset.rows.length,
    source,
    createdAt,
  };
}

/** The dataset's columns: the variables, the expected output, the id, then any other column of a row. */
export function datasetColumns(doc: TemplateDocument): string[] {
  const columns = [
    ...(doc.dataset.id ? [doc.dataset.id] : []),
    ...Object.keys(doc.variables.properties),
    doc.dataset.expected,
  ];
  for (const row of doc.dataset.rows)
    for (const name of Object.keys(row)) if (!columns.includes(name)) columns.push(name);
  return columns;
}

export function templateDetail(resolved: ResolvedTemplate): TemplateDetail {
  const { doc } = resolved;
  return {
    ...templateSummary(resolved),
    notes: doc.notes,
    prompt: doc.prompt,
    variableSchema: doc.variables,
    metricConfigs: doc.metrics,
    dataset: {
      expected: doc.dataset.expected,
      id: doc.dataset.id ?? null,
      columns: datasetColumns(doc),
      preview: doc.dataset.rows.slice(0, PREVIEW_ROWS),
    },
  };
}

/** Project templates first (newest wording of a team's own), then the library; both by name. */
export async function listTemplates(
  db: Db,
  access: ProjectAccess,
  query: TemplateListQuery = {},
): Promise<TemplateSummary[]> {
  const own = (await listProjectTemplateRecords(db, access.project.id)).map(projectDocument);
  const ownSlugs = new Set(own.map((t) => t.doc.slug));
  const library = loadLibrary()
    .filter((doc) => !ownSlugs.has(doc.slug))
    .map((doc): ResolvedTemplate => ({ doc, source: "library", createdAt: null }));
  const searchable = [...own, ...library].map((resolved) => ({
    ...resolved.doc,
    metricNames: resolved.doc.metrics.map((m) => m.name),
    resolved,
  }));
  return searchTemplates(searchable, query).map((found) => templateSummary(found.resolved));
}

/** The template of that slug (the project's own first), or 404 naming it. */
export async function resolveTemplate(
  db: Db,
  access: ProjectAccess,
  slug: string,
): Promise<ResolvedTemplate> {
  const record = await findProjectTemplate(db, access.project.id, slug);
  if (record) return projectDocument(record);
  const doc = findLibraryTemplate(slug);
  if (doc) return { doc, source: "library", createdAt: null };
  throw new NotFoundError(`no template "${slug}" in this project or the library`);
}

export async function getTemplate(db: Db, access: ProjectAccess, slug: string): Promise<TemplateDetail> {
  return templateDetail(await resolveTemplate(db, access, slug));
}

/** The template as a YAML file to download and import elsewhere. */
export async function exportTemplate(
  db: Db,
  access: ProjectAccess,
  slug: string,
): Promise<{ filename: string; yaml: string }> {
  const { doc } = await resolveTemplate(db, access, slug);
  return { filename: `${safeFileName(doc.slug, "template")}.yaml`, yaml: templateToYaml(doc) };
}
