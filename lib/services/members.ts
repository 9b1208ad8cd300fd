// Project members: list, invite (an existing user, or a new one with an initial password), change role,
// remove. Admins manage everyone but owners; the last owner stays (enforced in lib/db).

import { hashPassword } from "@/lib/auth/password";
import type { ProjectAccess } from "@/lib/auth/principal";
import { ForbiddenError, InputError } from "@/lib/core/errors";
import { memberChangeRefusal, type Role } from "@/lib/core/roles";
import {
  type AuditActor,
  addMember,
  changeMemberRole,
  type Db,
  getUserByEmail,
  listMembers,
  type MemberRecord,
  removeMember,
} from "@/lib/db";

const scope = (access: ProjectAccess) => ({
  projectId: access.project.id,
  organizationId: access.project.organization.id,
});

const checkFor = (access: ProjectAccess) => (current: Role | null, next: Role | null) =>
  memberChangeRefusal(access.role, current, next);

export function listProjectMembers(db: Db, access: ProjectAccess): Promise<MemberRecord[]> {
  return listMembers(db, access.project.id);
}

export async function addProjectMember(
  db: Db,
  access: ProjectAccess,
  input: { email: string; role: Role; name?: string; password?: string },
  actor: AuditActor,
): Promise<MemberRecord> {
  const existing = await getUserByEmail(db, input.email);
  let user: { id: string } | { create: { email: string; name: string; passwordHash: string } };
  if (existing) user = { id: existing.id };
  else {
    // Refuse before hashing (the check runs again inside the transaction).
    const refusal = memberChangeRefusal(access.role, null, input.role);
    if (refusal) throw new ForbiddenError(refusal);
    if (!input.password) {
      throw new InputError("Invalid body.password: no account has this email yet; set an initial password", {
        issues: [
          { in: "body", path: "password", message: "no account has this email yet: set an initial password" },
        ],
      });
    }
    user = {
      create: {
        email: input.email,
        name: input.name ?? "",
        passwordHash: await hashPassword(input.password ?? ""),
      },
    };
  }
  return addMember(db, { ...scope(access), user, role: input.role, check: checkFor(access) }, actor);
}

export function changeProjectMemberRole(
  db: Db,
  access: ProjectAccess,
  userId: string,
  role: Role,
  actor: AuditActor,
): Promise<MemberRecord> {
  return changeMemberRole(db, { ...scope(access), userId, role, check: checkFor(access) }, actor);
}

export async function removeProjectMember(
  db: Db,
  access: ProjectAccess,
  userId: string,
  actor: AuditActor,
): Promise<void> {
  await removeMember(db, { ...scope(access), userId, check: checkFor(access) }, actor);
}
