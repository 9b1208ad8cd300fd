// A project's own templates: saving a prompt version as one (optionally with a dataset version's rows),
// importing a YAML file, deleting one. Editors only; each write is audited with it. Slugs are unique
// across the project and the built-in library, so a slug always names one template.
import type { ProjectAccess } from "@/lib/auth/principal";
import { ConflictError, InputError, NotFoundError, PayloadTooLargeError } from "@/lib/core/errors";
import {
  type AuditActor,
  createProjectTemplate,
  type Db,
  deleteProjectTemplate,
  findDataset,
  findDatasetVersion,
  findProjectTemplate,
  iterateExamples,
} from "@/lib/db";
import {
  findLibraryTemplate,
  MAX_TEMPLATE_BYTES,
  parseTemplateYaml,
  templateIssues,
  templateToYaml,
} from "@/lib/templates";
import type { SaveTemplateBody, TemplateSummary } from "@/lib/validation/template-api";
import { type TemplateDocument, templateDocumentSchema } from "@/lib/validation/templates";
import { requireRole, requireTask, requireVersion } from "../prompts/access";
import { templateSummary } from "./catalog";

/** Rows a template may carry (the document contract's limit). */
const MAX_TEMPLATE_ROWS = 10_000;

const scopeOf = (access: ProjectAccess) => ({
  projectId: access.project.id,
  organizationId: access.project.organization.id,
});

function refuseLibrarySlug(slug: string): void {
  if (findLibraryTemplate(slug))
    throw new ConflictError(`"${slug}" is the slug of a built-in template; choose another slug`, {
      issues: [{ in: "body", path: "slug", message: `"${slug}" is a built-in template's slug` }],
    });
}

async function store(
  db: Db,
  access: ProjectAccess,
  doc: TemplateDocument,
  actor: AuditActor,
  via: { via: "saved" | "imported"; from?: string },
): Promise<TemplateSummary> {
  refuseLibrarySlug(doc.slug);
  const record = await createProjectTemplate(db, actor, scopeOf(access), {
    slug: doc.slug,
    name: doc.name,
    category: doc.category,
    description: doc.description,
    document: templateToYaml(doc),
    ...via,
  });
  return templateSummary({ doc, source: "project", createdAt: record.createdAt });
}

/** The rows of a dataset version as template rows: id, input variables, extra columns, expected. */
async function datasetRows(db: Db, access: ProjectAccess, ref: NonNullable<SaveTemplateBody["dataset"]>) {
  const dataset = await findDataset(db, access.project.id, ref.dataset);
  if (!dataset) throw new NotFoundError(`no dataset "${ref.dataset}" in this project`);
  const version = ref.version ? await findDatasetVersion(db, dataset.id, ref.version) : dataset.latest;
  if (!version)
    throw new NotFoundError(`dataset "${dataset.name}" has no version ${ref.version ?? ""}`.trim());
  if (version.rowCount > MAX_TEMPLATE_ROWS)
    throw new InputError(
      `A template carries at most ${MAX_TEMPLATE_ROWS} rows; this version has ${version.rowCount}`,
      {
        issues: [
          { in: "body", path: "dataset", message: `choose a dataset of at most ${MAX_TEMPLATE_ROWS} rows` },
        ],
      },
    );
  const rows: Record<string, string>[] = [];
  for await (const example of iterateExamples(db, version.id))
    rows.push({
      ...(version.idColumn ? { [version.idColumn]: example.id } : {}),
      ...example.extra,
      ...example.input,
      [version.expectedColumn]: example.expected,
    });
  return { expected: version.expectedColumn, ...(version.idColumn ? { id: version.idColumn } : {}), rows };
}

/** Saves prompt version `body.version` of `body.task` as a project template (409 when the slug is taken). */
export async function saveVersionAsTemplate(
  db: Db,
  access: ProjectAccess,
  body: SaveTemplateBody,
  actor: AuditActor,
): Promise<TemplateSummary> {
  await requireRole(db, access, actor, "editor", { operation: "save a template", target: body.slug });
  const task = await requireTask(db, access, body.task);
  const version = await requireVersion(db, task, body.version);
  const parsed = templateDocumentSchema.safeParse({
    slug: body.slug,
    name: body.name,
    category: body.category,
    description: body.description,
    notes: body.notes,
    tags: body.tags,
    prompt: {
      system: version.systemPrompt,
      output: version.outputPrompt,
      params: version.params,
      demos: version.demos,
    },
    variables: version.variableSchema,
    metrics: body.metrics,
    dataset: body.dataset ? await datasetRows(db, access, body.dataset) : { expected: "expected", rows: [] },
  });
  if (!parsed.success)
    throw new InputError(`The version cannot be a template: ${parsed.error.issues[0]!.message}`, {
      issues: parsed.error.issues.map((i) => ({ in: "body", path: i.path.join("."), message: i.message })),
    });
  const issues = templateIssues(parsed.data);
  if (issues.length > 0)
    throw new InputError(`The version cannot be a template: ${issues[0]!.path}: ${issues[0]!.message}`, {
      issues: issues.map((issue) => ({ in: "body", ...issue })),
    });
  return store(db, access, parsed.data, actor, { via: "saved", from: `${task.name} v${version.version}` });
}

/** The request body as text, at most `limit` bytes (413 past it, whatever Content-Length said). */
async function readText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return "";
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    bytes += next.value.byteLength;
    if (bytes > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(next.value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new InputError("The template file is not UTF-8 text", {
      issues: [{ in: "body", path: "", message: "save the file as UTF-8" }],
    });
  }
}

/** Imports a template YAML file into the project (400 naming the field path; 409 naming a taken slug). */
export async function importTemplate(
  db: Db,
  access: ProjectAccess,
  body: ReadableStream<Uint8Array> | null,
  actor: AuditActor,
): Promise<TemplateSummary> {
  await requireRole(db, access, actor, "editor", { operation: "import a template", target: "YAML file" });
  const text = await readText(body, MAX_TEMPLATE_BYTES);
  if (text.trim() === "")
    throw new InputError("Send the template's YAML file as the request body", {
      issues: [{ in: "body", path: "", message: "the file is empty" }],
    });
  return store(db, access, parseTemplateYaml(text), actor, { via: "imported" });
}

/** Deletes a project template (the built-in ones cannot be deleted: 409). */
export async function deleteTemplate(
  db: Db,
  access: ProjectAccess,
  slug: string,
  actor: AuditActor,
): Promise<void> {
  await requireRole(db, access, actor, "editor", { operation: "delete a template", target: slug });
  if (!(await findProjectTemplate(db, access.project.id, slug)) && findLibraryTemplate(slug))
    throw new ConflictError(`"${slug}" is a built-in template; built-in templates cannot be deleted`);
  await deleteProjectTemplate(db, actor, scopeOf(access), slug);
}
