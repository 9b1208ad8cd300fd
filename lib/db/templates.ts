// Project templates (ProjectTemplate): a project's own templates, saved from a prompt version or imported
// from a YAML file; the document column holds the template's YAML text as exported. Each write commits
// with its audit entry. `inOneTransaction` lets a use case that calls several repositories (using a
// template creates a task, a dataset and metric configurations) commit them all or none.
import * as z from "zod";
import { ConflictError, NotFoundError } from "@/lib/core/errors";
import { readStored } from "@/lib/validation/stored-document";
import { TEMPLATE_CATEGORIES, type TemplateCategory } from "@/lib/validation/templates";
import { type AuditActor, audited } from "./audit";
import type { Db, Tx } from "./client";
import type { ProjectScope } from "./memberships";
import { isUniqueViolation } from "./util";

export interface ProjectTemplateRecord {
  id: string;
  projectId: string;
  slug: string;
  name: string;
  category: TemplateCategory;
  description: string;
  /** The template's YAML text. */
  document: string;
  createdById: string | null;
  createdAt: Date;
}

export interface NewProjectTemplate {
  slug: string;
  name: string;
  category: TemplateCategory;
  description: string;
  document: string;
}

const categorySchema = z.enum(TEMPLATE_CATEGORIES);

type Row = Omit<ProjectTemplateRecord, "category"> & { category: string };

const toRecord = (row: Row): ProjectTemplateRecord => ({
  ...row,
  category: readStored(categorySchema, row.category, `project template "${row.slug}": category`),
});

/** The project's templates, by name. */
export async function listProjectTemplateRecords(
  db: Db,
  projectId: string,
): Promise<ProjectTemplateRecord[]> {
  const rows = await db.projectTemplate.findMany({
    where: { projectId },
    orderBy: [{ name: "asc" }, { slug: "asc" }],
  });
  return rows.map(toRecord);
}

export async function findProjectTemplate(
  db: Db,
  projectId: string,
  slug: string,
): Promise<ProjectTemplateRecord | null> {
  const row = await db.projectTemplate.findUnique({ where: { projectId_slug: { projectId, slug } } });
  return row ? toRecord(row) : null;
}

/** Stores a template (409 naming the slug when the project has one of that slug). */
export async function createProjectTemplate(
  db: Db,
  actor: AuditActor,
  scope: ProjectScope,
  input: NewProjectTemplate & { via: "saved" | "imported"; from?: string },
): Promise<ProjectTemplateRecord> {
  try {
    return await audited(db, actor, async (tx) => {
      const record = toRecord(
        await tx.projectTemplate.create({
          data: {
            projectId: scope.projectId,
            slug: input.slug,
            name: input.name,
            category: input.category,
            description: input.description,
            document: input.document,
            createdById: actor.type === "user" ? actor.id : null,
          },
        }),
      );
      return {
        result: record,
        audit: {
          action: input.via === "saved" ? "template.saved" : "template.imported",
          organizationId: scope.organizationId,
          projectId: scope.projectId,
          targetType: "template",
          targetId: record.id,
          targetLabel: record.slug,
          after: {
            slug: record.slug,
            name: record.name,
            category: record.category,
            ...(input.from ? { from: input.from } : {}),
          },
        },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`a template with the slug "${input.slug}" already exists in this project`, {
        issues: [{ in: "body", path: "slug", message: `"${input.slug}" is taken in this project` }],
      });
    throw error;
  }
}

export function deleteProjectTemplate(
  db: Db,
  actor: AuditActor,
  scope: ProjectScope,
  slug: string,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    const found = await tx.projectTemplate.findUnique({
      where: { projectId_slug: { projectId: scope.projectId, slug } },
    });
    if (!found) throw new NotFoundError(`no template "${slug}" in this project`);
    await tx.projectTemplate.delete({ where: { id: found.id } });
    return {
      result: undefined,
      audit: {
        action: "template.deleted",
        organizationId: scope.organizationId,
        projectId: scope.projectId,
        targetType: "template",
        targetId: found.id,
        targetLabel: found.slug,
        before: { slug: found.slug, name: found.name, category: found.category },
      },
    };
  });
}

/** How long a use case in one transaction may take (writing a template's dataset rows included). */
const ONE_TRANSACTION_TIMEOUT_MS = 5 * 60_000;

/**
 * Runs `work` in one transaction. The `Db` it receives is the transaction: repositories called with it
 * that open their own transaction join this one instead, so everything they write (audit entries too)
 * commits together or, when `work` throws, not at all.
 */
export function inOneTransaction<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => work(joined(tx)), {
    timeout: ONE_TRANSACTION_TIMEOUT_MS,
    maxWait: 60_000,
  });
}

/** The transaction as a `Db` whose own `$transaction` runs its work (or its queries) right here. */
function joined(tx: Tx): Db {
  const db: Db = new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "$transaction")
        return async (work: unknown) =>
          typeof work === "function"
            ? (work as (tx: Db) => Promise<unknown>)(db)
            : // The batch form: queries of this client, run in order.
              sequence(work as Promise<unknown>[]);
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as Db;
  return db;
}

async function sequence(queries: Promise<unknown>[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query);
  return results;
}
