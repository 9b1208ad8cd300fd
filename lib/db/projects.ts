// Organizations and projects. The CLI works in the "default" project of the "default" organization;
// web users create projects with themselves as owner (see memberships.ts for roles).
import { ConflictError } from "@/lib/core/errors";
import type { Role } from "@/lib/core/roles";
import { type AuditActor, type AuditEntryInput, audited } from "./audit";
import type { Db, Tx } from "./client";
import { isUniqueViolation, retryOnUniqueViolation } from "./util";

export interface ProjectRef {
  id: string;
  slug: string;
}

export interface OrganizationRecord {
  id: string;
  slug: string;
  name: string;
}

export interface ProjectRecord {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  organization: OrganizationRecord;
}

export const DEFAULT_ORGANIZATION = { slug: "default", name: "Default" } as const;

const PROJECT_SELECT = {
  id: true,
  slug: true,
  name: true,
  createdAt: true,
  organization: { select: { id: true, slug: true, name: true } },
} as const;

/** The organization with this slug, created (with `name`) on first use. */
export function ensureOrganization(
  db: Db | Tx,
  slug: string = DEFAULT_ORGANIZATION.slug,
  name: string = slug === DEFAULT_ORGANIZATION.slug ? DEFAULT_ORGANIZATION.name : slug,
): Promise<OrganizationRecord> {
  const select = { id: true, slug: true, name: true } as const;
  return retryOnUniqueViolation(() =>
    db.organization.upsert({ where: { slug }, create: { slug, name }, update: {}, select }),
  );
}

/** The project with this slug, created on first use ("default" is named "Default") in the default organization. */
export function ensureProject(db: Db, slug = "default"): Promise<ProjectRef> {
  return retryOnUniqueViolation(async () => {
    const existing = await db.project.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (existing) return existing;
    const organization = await ensureOrganization(db);
    return db.project.upsert({
      where: { slug },
      create: { slug, name: slug === "default" ? "Default" : slug, organizationId: organization.id },
      update: {},
      select: { id: true, slug: true },
    });
  });
}

export function getProjectBySlug(db: Db, slug: string): Promise<ProjectRecord | null> {
  return db.project.findUnique({ where: { slug }, select: PROJECT_SELECT });
}

export function getProjectById(db: Db, id: string): Promise<ProjectRecord | null> {
  return db.project.findUnique({ where: { id }, select: PROJECT_SELECT });
}

export function getOrganizationBySlug(db: Db, slug: string): Promise<OrganizationRecord | null> {
  return db.organization.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
}

export interface ProjectWithRole extends ProjectRecord {
  role: Role;
  /** When an admin archived the project (null: active). */
  archivedAt: Date | null;
}

/** The projects `userId` is a member of, by name: active ones, and archived ones too when asked. */
export async function listProjectsForUser(
  db: Db,
  userId: string,
  options: { includeArchived?: boolean } = {},
): Promise<ProjectWithRole[]> {
  const rows = await db.membership.findMany({
    where: { userId, ...(options.includeArchived ? {} : { project: { archivedAt: null } }) },
    select: { role: true, project: { select: { ...PROJECT_SELECT, archivedAt: true } } },
  });
  return rows
    .map((row) => ({ ...row.project, role: row.role as Role }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
}

/** When the project was archived (null: active), read fresh: cached access records may be older. */
export async function getProjectArchivedAt(db: Db | Tx, projectId: string): Promise<Date | null> {
  const row = await db.project.findUnique({ where: { id: projectId }, select: { archivedAt: true } });
  return row?.archivedAt ?? null;
}

export interface ProjectChange {
  /** A new display name (the slug, which addresses the project, never changes). */
  name?: string;
  /** true archives, false brings the project back; unchanged when absent or already so. */
  archived?: boolean;
}

/**
 * Renames and/or archives (unarchives) a project, with one audit entry per change made
 * ("project.renamed", "project.archived", "project.unarchived"); a request that changes nothing
 * writes nothing. Returns the project as it is afterwards.
 */
export function updateProject(
  db: Db,
  project: ProjectRecord,
  change: ProjectChange,
  actor: AuditActor,
  now: Date = new Date(),
): Promise<ProjectRecord & { archivedAt: Date | null }> {
  const select = { ...PROJECT_SELECT, archivedAt: true } as const;
  return audited(db, actor, async (tx) => {
    const current = await tx.project.findUniqueOrThrow({ where: { id: project.id }, select });
    const rename = change.name !== undefined && change.name !== current.name;
    const archive = change.archived !== undefined && change.archived !== (current.archivedAt !== null);
    if (!rename && !archive) return { result: current, audit: null };
    const updated = await tx.project.update({
      where: { id: project.id },
      data: {
        ...(rename ? { name: change.name } : {}),
        ...(archive ? { archivedAt: change.archived ? now : null } : {}),
      },
      select,
    });
    const base = {
      organizationId: current.organization.id,
      projectId: current.id,
      targetType: "project",
      targetId: current.id,
      targetLabel: current.slug,
    };
    const audit: AuditEntryInput[] = [];
    if (rename) {
      audit.push({
        ...base,
        action: "project.renamed",
        before: { name: current.name },
        after: { name: updated.name },
      });
    }
    if (archive) {
      audit.push({
        ...base,
        action: change.archived ? "project.archived" : "project.unarchived",
        before: { archivedAt: current.archivedAt?.toISOString() ?? null },
        after: { archivedAt: updated.archivedAt?.toISOString() ?? null },
      });
    }
    return { result: updated, audit };
  });
}

/** Organizations in which `userId` owns at least one project. */
export async function listOwnedOrganizations(db: Db, userId: string): Promise<OrganizationRecord[]> {
  const rows = await db.organization.findMany({
    where: { projects: { some: { memberships: { some: { userId, role: "owner" } } } } },
    select: { id: true, slug: true, name: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(({ createdAt: _, ...org }) => org);
}

export interface CreateProjectInput {
  slug: string;
  name: string;
  /** An existing organization (by id), or a new one to create. */
  organization: { id: string } | { create: { slug: string; name: string } };
  ownerUserId: string;
}

/** Creates a project (and a new organization if asked) with `ownerUserId` as its owner, audited. */
export async function createProject(
  db: Db,
  input: CreateProjectInput,
  actor: AuditActor,
): Promise<ProjectRecord> {
  try {
    return await audited(db, actor, async (tx) => {
      const organization =
        "id" in input.organization
          ? { id: input.organization.id }
          : await tx.organization.create({ data: input.organization.create, select: { id: true } });
      const project = await tx.project.create({
        data: { slug: input.slug, name: input.name, organizationId: organization.id },
        select: PROJECT_SELECT,
      });
      await tx.membership.create({
        data: { projectId: project.id, userId: input.ownerUserId, role: "owner" },
      });
      const base = { organizationId: organization.id, projectId: project.id };
      return {
        result: project,
        audit: [
          {
            ...base,
            action: "project.created",
            targetType: "project",
            targetId: project.id,
            targetLabel: project.slug,
            after: { slug: project.slug, name: project.name, organization: project.organization.slug },
          },
          {
            ...base,
            action: "member.added",
            targetType: "user",
            targetId: input.ownerUserId,
            targetLabel: actor.label,
            after: { role: "owner" },
          },
        ],
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`a project or organization with this slug already exists`, {
        issues: [{ in: "body", path: "slug", message: "already taken" }],
      });
    }
    throw error;
  }
}

/** The project's cost-confirmation threshold in US dollars; null when it keeps the default. */
export async function getProjectCostConfirmation(db: Db | Tx, projectId: string): Promise<number | null> {
  const row = await db.project.findUnique({
    where: { id: projectId },
    select: { costConfirmAboveUsd: true },
  });
  return row?.costConfirmAboveUsd ?? null;
}

/** Sets the threshold with a "project.cost_confirmation_set" audit entry, in one transaction. */
export function setProjectCostConfirmation(
  db: Db,
  project: ProjectRecord,
  confirmAboveUsd: number,
  before: number,
  actor: AuditActor,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    await tx.project.update({ where: { id: project.id }, data: { costConfirmAboveUsd: confirmAboveUsd } });
    return {
      result: undefined,
      audit: {
        action: "project.cost_confirmation_set",
        organizationId: project.organization.id,
        projectId: project.id,
        targetType: "project",
        targetId: project.id,
        targetLabel: project.slug,
        before: { confirmAboveUsd: before },
        after: { confirmAboveUsd },
      },
    };
  });
}
