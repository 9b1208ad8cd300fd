// Projects as the API and pages see them: mine (with my role), create (I become owner), one by slug.

import type { Principal, ProjectAccess, UserPrincipal } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/core/errors";
import type { Role } from "@/lib/core/roles";
import {
  type AuditActor,
  createProject,
  type Db,
  getOrganizationBySlug,
  getProjectById,
  listOwnedOrganizations,
  listProjectsForUser,
  type OrganizationRecord,
  type ProjectRecord,
} from "@/lib/db";

export interface ProjectView extends ProjectRecord {
  role: Role;
}

/** The projects the principal can see: a user's memberships, or an API key's own project. */
export async function listMyProjects(db: Db, principal: Principal): Promise<ProjectView[]> {
  if (principal.kind === "user") return listProjectsForUser(db, principal.userId);
  const project = await getProjectById(db, principal.projectId);
  return project ? [{ ...project, role: principal.role }] : [];
}

/** Organizations in which the user owns a project (where they may create another). */
export function listMyOrganizations(db: Db, user: UserPrincipal): Promise<OrganizationRecord[]> {
  return listOwnedOrganizations(db, user.userId);
}

export function projectView(access: ProjectAccess): ProjectView {
  return { ...access.project, role: access.role };
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
  return { ...project, role: "owner" };
}
