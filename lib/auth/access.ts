// Project access: which role a principal has in a project, or "not found". A project the caller has no
// access to is indistinguishable from one that does not exist (404, never 403), for users and keys.
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { hasRole, type Role } from "@/lib/core/roles";
import { type Db, getMembershipRole, getProjectBySlug } from "@/lib/db";
import { apiKeyCache } from "./api-key-cache";
import { OPERATOR, type Principal, type ProjectAccess } from "./principal";

export async function projectAccess(db: Db, principal: Principal, slug: string): Promise<ProjectAccess> {
  const cached = principal.kind === "api_key" ? apiKeyCache().projectOf(principal.keyId, slug) : undefined;
  const project =
    cached ?? (typeof slug === "string" && slug.length <= 100 ? await getProjectBySlug(db, slug) : null);
  let role: Role | null = null;
  if (project) {
    role =
      principal.kind === "api_key"
        ? principal.projectId === project.id
          ? principal.role
          : null
        : await getMembershipRole(db, project.id, principal.userId);
  }
  if (!project || !role) throw new NotFoundError(`project "${slug}" not found`);
  return { principal, project, role };
}

/**
 * `projectAccess`, then a 403 unless the role includes `required`; `onRefused` runs before the 403 is
 * thrown (e.g. to audit the refusal).
 */
export async function requireProjectRole(
  db: Db,
  principal: Principal,
  slug: string,
  required: Role,
  onRefused?: (access: ProjectAccess) => Promise<void>,
): Promise<ProjectAccess> {
  const access = await projectAccess(db, principal, slug);
  if (!hasRole(access.role, required)) {
    await onRefused?.(access);
    throw new ForbiddenError(
      `this needs the ${required} role in project "${slug}" (you have ${access.role})`,
      {
        required,
        role: access.role,
      },
    );
  }
  return access;
}

/** The operator's access (the CLI): owner of the project with this slug, or a 404 when there is none. */
export async function operatorProjectAccess(db: Db, slug: string): Promise<ProjectAccess> {
  const project = await getProjectBySlug(db, slug);
  if (!project) throw new NotFoundError(`project "${slug}" not found`);
  return { principal: OPERATOR, project, role: "owner" };
}
