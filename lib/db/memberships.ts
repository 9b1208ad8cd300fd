// Project membership and roles. Each change and its audit entry commit together; the last owner of a
// project can be neither removed nor demoted, also under concurrent changes (see lockOwners). A role
// change or a removal also ends the member's sessions (bumpSessionVersion) in the same transaction.
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/core/errors";
import type { Role } from "@/lib/core/roles";
import { type AuditActor, type AuditEntryInput, audited } from "./audit";
import type { Db, Tx } from "./client";
import { bumpSessionVersion, insertUser, type NewUser, userCreatedAudit } from "./users";
import { isUniqueViolation } from "./util";

export interface MemberRecord {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProjectScope {
  projectId: string;
  organizationId: string;
}

/**
 * Decides, inside the transaction, whether the actor may make this change: gets the member's current
 * role (null for a new member) and the new one (null for a removal); returns a refusal or null.
 */
export type MemberChangeCheck = (current: Role | null, next: Role | null) => string | null;

export async function getMembershipRole(
  db: Db | Tx,
  projectId: string,
  userId: string,
): Promise<Role | null> {
  const row = await db.membership.findUnique({
    where: { projectId_userId: { projectId, userId } },
    select: { role: true },
  });
  return (row?.role as Role | undefined) ?? null;
}

export async function listMembers(db: Db, projectId: string): Promise<MemberRecord[]> {
  const rows = await db.membership.findMany({
    where: { projectId },
    select: {
      role: true,
      createdAt: true,
      updatedAt: true,
      user: { select: { id: true, email: true, name: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => ({
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.role as Role,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}

async function memberRecord(tx: Tx, projectId: string, userId: string): Promise<MemberRecord | null> {
  const row = await tx.membership.findUnique({
    where: { projectId_userId: { projectId, userId } },
    select: { role: true, createdAt: true, updatedAt: true, user: { select: { email: true, name: true } } },
  });
  if (!row) return null;
  const { user, role, createdAt, updatedAt } = row;
  return { userId, email: user.email, name: user.name, role: role as Role, createdAt, updatedAt };
}

const refuse = (reason: string | null) => {
  if (reason) throw new ForbiddenError(reason);
};

/**
 * Takes row locks on the project's owner memberships (PostgreSQL: a no-op UPDATE locks the rows until
 * commit; SQLite serializes writers anyway), so two concurrent demotions of the last two owners cannot
 * both pass the "an owner remains" check.
 */
async function lockOwners(tx: Tx, projectId: string): Promise<void> {
  await tx.membership.updateMany({ where: { projectId, role: "owner" }, data: { role: "owner" } });
}

async function assertOwnerRemains(tx: Tx, projectId: string): Promise<void> {
  if ((await tx.membership.count({ where: { projectId, role: "owner" } })) === 0) {
    throw new ConflictError("a project needs at least one owner: make someone else owner first");
  }
}

export interface AddMemberInput extends ProjectScope {
  /** An existing user, or one to create (an invitation of a new email address). */
  user: { id: string } | { create: NewUser };
  role: Role;
  check: MemberChangeCheck;
}

export function addMember(db: Db, input: AddMemberInput, actor: AuditActor): Promise<MemberRecord> {
  return audited(db, actor, async (tx) => {
    refuse(input.check(null, input.role));
    const audit: AuditEntryInput[] = [];
    let userId: string;
    if ("id" in input.user) userId = input.user.id;
    else {
      const user = await insertUser(tx, input.user.create);
      audit.push(userCreatedAudit(user));
      userId = user.id;
    }
    try {
      await tx.membership.create({ data: { projectId: input.projectId, userId, role: input.role } });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError("this user is already a member of the project", {
          issues: [{ in: "body", path: "email", message: "already a member" }],
        });
      }
      throw error;
    }
    const member = (await memberRecord(tx, input.projectId, userId))!;
    audit.push({
      action: "member.added",
      organizationId: input.organizationId,
      projectId: input.projectId,
      targetType: "user",
      targetId: userId,
      targetLabel: member.email,
      after: { role: input.role },
    });
    return { result: member, audit };
  });
}

export interface ChangeRoleInput extends ProjectScope {
  userId: string;
  role: Role;
  check: MemberChangeCheck;
}

export function changeMemberRole(db: Db, input: ChangeRoleInput, actor: AuditActor): Promise<MemberRecord> {
  return audited(db, actor, async (tx) => {
    await lockOwners(tx, input.projectId);
    const current = await memberRecord(tx, input.projectId, input.userId);
    if (!current) throw new NotFoundError("no such member in this project");
    refuse(input.check(current.role, input.role));
    if (current.role === input.role) return { result: current, audit: null };
    await tx.membership.update({
      where: { projectId_userId: { projectId: input.projectId, userId: input.userId } },
      data: { role: input.role },
    });
    await assertOwnerRemains(tx, input.projectId);
    await bumpSessionVersion(tx, input.userId);
    const updated = (await memberRecord(tx, input.projectId, input.userId))!;
    return {
      result: updated,
      audit: {
        action: "member.role_changed",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "user",
        targetId: input.userId,
        targetLabel: current.email,
        before: { role: current.role },
        after: { role: input.role },
      },
    };
  });
}

export interface RemoveMemberInput extends ProjectScope {
  userId: string;
  check: MemberChangeCheck;
}

export function removeMember(db: Db, input: RemoveMemberInput, actor: AuditActor): Promise<MemberRecord> {
  return audited(db, actor, async (tx) => {
    await lockOwners(tx, input.projectId);
    const current = await memberRecord(tx, input.projectId, input.userId);
    if (!current) throw new NotFoundError("no such member in this project");
    refuse(input.check(current.role, null));
    await tx.membership.delete({
      where: { projectId_userId: { projectId: input.projectId, userId: input.userId } },
    });
    await assertOwnerRemains(tx, input.projectId);
    await bumpSessionVersion(tx, input.userId);
    return {
      result: current,
      audit: {
        action: "member.removed",
        organizationId: input.organizationId,
        projectId: input.projectId,
        targetType: "user",
        targetId: input.userId,
        targetLabel: current.email,
        before: { role: current.role },
      },
    };
  });
}
