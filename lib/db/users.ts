// Users (email + scrypt password hash) and the first-run path. Password hashes never leave this file
// except through `findUserForSignIn` and `findUserForPasswordChange`, which only the account services
// call. `sessionVersion` is the user's session generation: a session token carries the version it was
// issued with, and a bump (sign-out, sign out everywhere, password change, role change, removal from a
// project) ends every session issued before it, in the same transaction as the change and its audit.
import { ConflictError } from "@/lib/core/errors";
import { type AuditActor, type AuditEntryInput, appendAudit, audited } from "./audit";
import type { Db, Tx } from "./client";
import { ensureOrganization, type OrganizationRecord } from "./projects";
import { isUniqueViolation } from "./util";

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  lastSignInAt: Date | null;
  disabledAt: Date | null;
  sessionVersion: number;
}

export const USER_SELECT = {
  id: true,
  email: true,
  name: true,
  createdAt: true,
  lastSignInAt: true,
  disabledAt: true,
  sessionVersion: true,
} as const;

export interface NewUser {
  /** Normalized (trimmed, lower-cased) by the caller. */
  email: string;
  name?: string;
  passwordHash: string;
}

export function getUser(db: Db, id: string): Promise<UserRecord | null> {
  return db.user.findUnique({ where: { id }, select: USER_SELECT });
}

export function getUserByEmail(db: Db | Tx, email: string): Promise<UserRecord | null> {
  return db.user.findUnique({ where: { email }, select: USER_SELECT });
}

/** For sign-in only: the user with the password hash. */
export function findUserForSignIn(
  db: Db,
  email: string,
): Promise<(UserRecord & { passwordHash: string }) | null> {
  return db.user.findUnique({ where: { email }, select: { ...USER_SELECT, passwordHash: true } });
}

/** For a password change only: the user with the password hash. */
export function findUserForPasswordChange(
  db: Db,
  id: string,
): Promise<(UserRecord & { passwordHash: string }) | null> {
  return db.user.findUnique({ where: { id }, select: { ...USER_SELECT, passwordHash: true } });
}

/** Ends every session of the user issued so far (inside the transaction of the change that needs it). */
export async function bumpSessionVersion(tx: Tx, userId: string): Promise<number> {
  const { sessionVersion } = await tx.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return sessionVersion;
}

export function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

/** Inserts a user inside a transaction; a taken email is a ConflictError naming the field. */
export async function insertUser(tx: Tx, user: NewUser): Promise<UserRecord> {
  try {
    return await tx.user.create({
      data: { email: user.email, name: user.name ?? "", passwordHash: user.passwordHash },
      select: USER_SELECT,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(user.email);
    throw error;
  }
}

const emailTaken = (email: string) =>
  new ConflictError(`a user with the email ${email} already exists`, {
    issues: [{ in: "body", path: "email", message: "already registered" }],
  });

export const userCreatedAudit = (user: UserRecord): AuditEntryInput => ({
  action: "user.created",
  targetType: "user",
  targetId: user.id,
  targetLabel: user.email,
  after: { email: user.email, name: user.name },
});

export interface AccountResult {
  user: UserRecord;
  organization: OrganizationRecord;
  /** Projects the user became owner of. */
  ownerOf: { id: string; slug: string }[];
}

/**
 * Creates a user and makes them owner of every project of `organization` that has no owner yet (on a
 * fresh install: the CLI's "default" project); an organization without projects gets one named after
 * it. With `onlyIfNoUsers` (the one-time /setup page) it fails with a ConflictError once any user
 * exists; the transaction is serializable, so two concurrent setups cannot both win.
 */
export async function createUserAccount(
  db: Db,
  input: {
    user: NewUser;
    /** Created if missing; with `rename`, an existing one takes `name` too. */
    organization: { slug: string; name: string; rename?: boolean };
    onlyIfNoUsers?: boolean;
  },
  /** Who does it; a function of the new user when they create themselves (the /setup page). */
  actor: AuditActor | ((user: UserRecord) => AuditActor),
): Promise<AccountResult> {
  try {
    return await audited(
      db,
      typeof actor === "function" ? (result: AccountResult) => actor(result.user) : actor,
      async (tx) => {
        if (input.onlyIfNoUsers && (await tx.user.count()) > 0) {
          throw new ConflictError("setup is already done: sign in, or ask an owner to invite you");
        }
        const user = await insertUser(tx, input.user);
        const { slug, name, rename } = input.organization;
        const organization = rename
          ? await tx.organization.upsert({
              where: { slug },
              create: { slug, name },
              update: { name },
              select: { id: true, slug: true, name: true },
            })
          : await ensureOrganization(tx, slug, name);
        let projects = await tx.project.findMany({
          where: { organizationId: organization.id, memberships: { none: { role: "owner" } } },
          select: { id: true, slug: true },
          orderBy: { createdAt: "asc" },
        });
        if ((await tx.project.count({ where: { organizationId: organization.id } })) === 0) {
          const slug = await freeProjectSlug(tx, organization.slug);
          projects = [
            await tx.project.create({
              data: { slug, name: organization.name, organizationId: organization.id },
              select: { id: true, slug: true },
            }),
          ];
        }
        const audit: AuditEntryInput[] = [userCreatedAudit(user)];
        for (const project of projects) {
          await tx.membership.create({ data: { projectId: project.id, userId: user.id, role: "owner" } });
          audit.push({
            action: "member.added",
            organizationId: organization.id,
            projectId: project.id,
            targetType: "user",
            targetId: user.id,
            targetLabel: user.email,
            after: { role: "owner" },
          });
        }
        return { result: { user, organization, ownerOf: projects }, audit };
      },
      { serializable: input.onlyIfNoUsers },
    );
  } catch (error) {
    // P2034: a concurrent serializable transaction won (PostgreSQL).
    if ((error as { code?: unknown })?.code === "P2034" && input.onlyIfNoUsers) {
      throw new ConflictError("setup is already done: sign in, or ask an owner to invite you");
    }
    throw error;
  }
}

async function freeProjectSlug(tx: Tx, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await tx.project.findUnique({ where: { slug }, select: { id: true } }))) return slug;
  }
}

/** A successful sign-in: stamps the user (and upgrades the password hash if asked) and audits it. */
export function recordSignIn(
  db: Db,
  user: { id: string; email: string },
  actor: AuditActor,
  rehashed?: string,
): Promise<void> {
  return audited(db, actor, async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { lastSignInAt: new Date(), ...(rehashed ? { passwordHash: rehashed } : {}) },
    });
    return {
      result: undefined,
      audit: { action: "auth.sign_in", targetType: "user", targetId: user.id, targetLabel: user.email },
    };
  });
}

/** A failed sign-in (the email as typed, never the password). */
export function recordSignInFailure(db: Db, email: string, reason: string, actor: AuditActor): Promise<void> {
  return appendAudit(db, actor, {
    action: "auth.sign_in_failed",
    targetType: "user",
    targetLabel: email,
    after: { reason },
  });
}

/**
 * A sign-out: ends the user's sessions (the version is per user, so every device is signed out) and
 * audits it — only when the token's `sessionVersion` is still current; a stale token changes nothing.
 */
export function recordSignOut(
  db: Db,
  user: { id: string; email: string },
  sessionVersion: number,
  actor: AuditActor,
): Promise<boolean> {
  return audited(db, actor, async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: user.id, sessionVersion },
      data: { sessionVersion: { increment: 1 } },
    });
    if (count === 0) return { result: false, audit: null };
    return {
      result: true,
      audit: { action: "auth.sign_out", targetType: "user", targetId: user.id, targetLabel: user.email },
    };
  });
}

/** "Sign out everywhere": ends every session of the user; returns the new version. */
export function revokeUserSessions(
  db: Db,
  user: { id: string; email: string },
  actor: AuditActor,
): Promise<number> {
  return audited(db, actor, async (tx) => ({
    result: await bumpSessionVersion(tx, user.id),
    audit: {
      action: "auth.sessions_revoked",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email,
    },
  }));
}

/** Stores a new password hash and ends every session issued before; returns the new version. */
export function changeUserPassword(
  db: Db,
  user: { id: string; email: string },
  passwordHash: string,
  actor: AuditActor,
): Promise<number> {
  return audited(db, actor, async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    return {
      result: await bumpSessionVersion(tx, user.id),
      audit: {
        action: "user.password_changed",
        targetType: "user",
        targetId: user.id,
        targetLabel: user.email,
        after: { sessionsRevoked: true },
      },
    };
  });
}
