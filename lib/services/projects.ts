// Projects as the API and pages see them: mine (with my role), create (I become owner), one by slug,
// rename and archive (admins). An archived project stays readable but takes no new work.

import type { Principal, ProjectAccess, UserPrincipal } from "@/lib/auth/principal";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { hasRole, type Role } from "@/lib/core/roles";
import {
  type AuditActor,
  createProject,
  type Db,
  getOrganizationBySlug,
  getProjectArchivedAt,
  getProjectById,
  listOwnedOrganizations,
  listProjectsForUser,
  type OrganizationRecord,
  type ProjectChange,
  type ProjectRecord,
  updateProject,
} from "@/lib/db";

export interface ProjectView extends ProjectRecord {
  role: Role;
  /** When an admin archived the project (null: active). */
  archivedAt: Date | null;
}

/**
 * The projects the principal can see: a user's memberships (archived ones only with
 * `includeArchived`), or an API key's own project (archived or not: it is the only one it has).
 */
export async function listMyProjects(
  db: Db,
  principal: Principal,
  options: { includeArchived?: boolean } = {},
): Promise<ProjectView[]> {
  if (principal.kind === "user") return listProjectsForUser(db, principal.userId, options);
  const project = await getProjectById(db, principal.projectId);
  if (!project) return [];
  return [{ ...project, role: principal.role, archivedAt: await getProjectArchivedAt(db, project.id) }];
}

/** Organizations in which the user owns a project (where they may create another). */
export function listMyOrganizations(db: Db, user: UserPrincipal): Promise<OrganizationRecord[]> {
  return listOwnedOrganizations(db, user.userId);
}

/** The project of `access` with the caller's role and its archive state as stored now. */
export async function getProjectView(db: Db, access: ProjectAccess): Promise<ProjectView> {
  return {
    ...access.project,
    role: access.role,
    archivedAt: await getProjectArchivedAt(db, access.project.id),
  };
}

/**
 * Refuses new work (runs, batches, dataset uploads and edits) in an archived project: a 409 that says so.
 * Reads the state fresh, so an API key's cached access cannot outlive an archive.
 */
export async function requireActiveProject(db: Db, access: ProjectAccess): Promise<void> {
  const archivedAt = await getProjectArchivedAt(db, access.project.id);
  if (archivedAt === null) return;
  throw new ConflictError(
    `project "${access.project.slug}" is archived: it takes no new runs, batches or dataset changes until an admin unarchives it`,
    { issues: [], status: "archived" },
  );
}

/** Renames (the slug stays) and/or archives or unarchives the project: admins only, audited. */
export async function changeProject(
  db: Db,
  access: ProjectAccess,
  change: ProjectChange,
  actor: AuditActor,
): Promise<ProjectView> {
  if (!hasRole(access.role, "admin")) {
    throw new ForbiddenError(
      `renaming or archiving a project needs the admin role (you have ${access.role})`,
      {
        required: "admin",
        role: access.role,
      },
    );
  }
  const updated = await updateProject(db, access.project, change, actor);
  return { ...updated, role: access.role };
}

async function freeOrganizationSlug(db: Db, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await getOrganizationBySlug(db, slug))) return slug;
  }
}

/**
 * Creates a project owned by `user`, in `organization` (one where the user owns a project), by default
 * the first such organization, else a new organization named after the project.
 */
export async function createProjectForUser(
  db: Db,
  user: UserPrincipal,
  input: { slug: string; name: string; organization?: string },
  actor: AuditActor,
): Promise<ProjectView> {
  const owned = await listOwnedOrganizations(db, user.userId);
  let organization: { id: string } | { create: { slug: string; name: string } };
  if (input.organization !== undefined) {
    const match = owned.find((org) => org.slug === input.organization);
    if (!match) {
      throw new NotFoundError(
        `organization "${input.organization}" not found among those where you own a project`,
      );
    }
    organization = { id: match.id };
  } else if (owned[0]) {
    organization = { id: owned[0].id };
  } else {
    organization = { create: { slug: await freeOrganizationSlug(db, input.slug), name: input.name } };
  }
  const project = await createProject(
    db,
    { slug: input.slug, name: input.name, organization, ownerUserId: user.userId },
    actor,
  );
  return { ...project, role: "owner", archivedAt: null };
}
