// Ending sessions: sign-out (next-auth's signOut event), "sign out everywhere", and a password change.
// Each bumps the user's session version (lib/db/users.ts), which ends every session token issued
// before, on every device; the change and its audit entry commit together.
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { actorOf, type RequestMeta, type UserPrincipal } from "@/lib/auth/principal";
import { type SignInLimiter, signInLimiter } from "@/lib/auth/sign-in-limits";
import { InputError, NotFoundError, RateLimitError } from "@/lib/core/errors";
import { retryAfterSeconds } from "@/lib/core/rate-limit";
import {
  type AuditActor,
  changeUserPassword,
  type Db,
  findUserForPasswordChange,
  recordSignOut,
  revokeUserSessions,
} from "@/lib/db";

/** A sign-out with a session of `sessionVersion`: ends the user's sessions unless that one was already stale. */
export function signOutUser(
  db: Db,
  user: { id: string; email: string },
  sessionVersion: number,
  meta: RequestMeta,
): Promise<boolean> {
  return recordSignOut(db, user, sessionVersion, { type: "user", id: user.id, label: user.email, ...meta });
}

/** "Sign out everywhere": every session of the user ends, the caller's too. */
export async function revokeAllSessions(db: Db, user: UserPrincipal, actor: AuditActor): Promise<void> {
  await revokeUserSessions(db, { id: user.userId, email: user.email }, actor);
}

const field = (path: string, message: string) =>
  new InputError(`Invalid body.${path}: ${message}`, { issues: [{ in: "body", path, message }] });

/**
 * Changes the signed-in user's password after checking the current one, and ends every session (the
 * caller signs in again with the new password; the web page does it for the user). Wrong current
 * passwords count as failed sign-ins of the account, so a stolen session cannot guess at it freely.
 */
export async function changePassword(
  db: Db,
  principal: UserPrincipal,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
  limiter: SignInLimiter = signInLimiter(),
): Promise<void> {
  const user = await findUserForPasswordChange(db, principal.userId);
  if (!user) throw new NotFoundError("this user no longer exists");
  const attempt = { email: user.email, ip: meta.ip };
  const lockedMs = await limiter.lockedForMs(attempt);
  if (lockedMs > 0) {
    throw new RateLimitError(retryAfterSeconds(lockedMs), "Too many wrong passwords; try again later.");
  }
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await limiter.recordFailure(attempt);
    throw field("currentPassword", "this is not your current password");
  }
  if (input.newPassword === input.currentPassword) {
    throw field("newPassword", "choose a password different from the current one");
  }
  await changeUserPassword(db, user, await hashPassword(input.newPassword), actorOf(principal, meta));
}
