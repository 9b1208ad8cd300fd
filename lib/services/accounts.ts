// Accounts: password sign-in (limited per account and per client address, audited), the one-time setup
// of the first owner, creating users from the CLI, and "who am I". Sessions: sessions.ts.

import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { actorOf, type Principal, type RequestMeta, type UserPrincipal } from "@/lib/auth/principal";
import { type SignInLimiter, signInLimiter } from "@/lib/auth/sign-in-limits";
import { InputError, NotFoundError, RateLimitError } from "@/lib/core/errors";
import { retryAfterSeconds } from "@/lib/core/rate-limit";
import type { ApiKeyRole, Role } from "@/lib/core/roles";
import {
  type AccountResult,
  type AuditActor,
  countUsers,
  createUserAccount,
  type Db,
  DEFAULT_ORGANIZATION,
  findUserForSignIn,
  getProjectById,
  listProjectsForUser,
  recordSignIn,
  recordSignInFailure,
} from "@/lib/db";
import { emailSchema, passwordSchema, personNameSchema } from "@/lib/validation/accounts";
import { slugSchema } from "@/lib/validation/common";
import { parseInput } from "@/lib/validation/parse";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface SignedInUser extends UserPrincipal {
  /** The version a new session token must carry (lib/auth/session.ts). */
  sessionVersion: number;
}

/**
 * Checks an email and password. Returns the user, or null (unknown email, wrong password, disabled
 * user: the caller cannot tell which, and neither can timing). Every attempt is audited without the
 * password. While the account or the client address is locked out after repeated failures
 * (lib/auth/sign-in-limits.ts), every attempt throws a RateLimitError, the right password too.
 */
export async function signInWithPassword(
  db: Db,
  credentials: { email?: unknown; password?: unknown },
  meta: RequestMeta,
  limiter: SignInLimiter = signInLimiter(),
): Promise<SignedInUser | null> {
  const email = typeof credentials.email === "string" ? normalizeEmail(credentials.email).slice(0, 320) : "";
  const password = typeof credentials.password === "string" ? credentials.password.slice(0, 1024) : "";
  const anonymous = actorOf(null, meta);
  if (!email || !password) return null;
  const attempt = { email, ip: meta.ip };
  // Refused before the password is even checked: a right guess during a lockout fails too.
  const lockedMs = await limiter.lockedForMs(attempt);
  if (lockedMs > 0) {
    await recordSignInFailure(db, email, "rate_limited", anonymous);
    throw new RateLimitError(retryAfterSeconds(lockedMs), "Too many failed sign-ins; try again later.");
  }
  const user = await findUserForSignIn(db, email);
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !ok || user.disabledAt) {
    await limiter.recordFailure(attempt);
    await recordSignInFailure(
      db,
      email,
      !user ? "unknown_email" : !ok ? "wrong_password" : "disabled",
      anonymous,
    );
    return null;
  }
  await limiter.recordSuccess(attempt);
  const principal: UserPrincipal = { kind: "user", userId: user.id, email: user.email, name: user.name };
  const rehashed = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  await recordSignIn(db, user, actorOf(principal, meta), rehashed);
  return { ...principal, sessionVersion: user.sessionVersion };
}

/** True while no user exists: the /setup page works only then. */
export async function needsSetup(db: Db): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

export interface AccountSummary {
  user: { id: string; email: string; name: string };
  organization: { slug: string; name: string };
  projects: { slug: string }[];
}

const summary = (result: AccountResult): AccountSummary => ({
  user: { id: result.user.id, email: result.user.email, name: result.user.name },
  organization: { slug: result.organization.slug, name: result.organization.name },
  projects: result.ownerOf.map(({ slug }) => ({ slug })),
});

/**
 * The first owner, from the one-time setup page: owner of the default organization's projects (the
 * CLI's "default" project), whose display name becomes `organization`. A ConflictError once any user
 * exists.
 */
export async function setupFirstUser(
  db: Db,
  input: { email: string; password: string; name?: string; organization?: string },
  meta: RequestMeta,
): Promise<AccountSummary> {
  const result = await createUserAccount(
    db,
    {
      user: { email: input.email, name: input.name ?? "", passwordHash: await hashPassword(input.password) },
      organization: {
        slug: DEFAULT_ORGANIZATION.slug,
        name: input.organization ?? DEFAULT_ORGANIZATION.name,
        rename: input.organization !== undefined,
      },
      onlyIfNoUsers: true,
    },
    // The first owner adds themselves: they, not "anonymous", are the actor of their membership.
    (user) => actorOf({ kind: "user", userId: user.id, email: user.email, name: user.name }, meta),
  );
  return summary(result);
}

/**
 * `strop admin create-user`: a user in organization `org` (default "default"; created if missing), made
 * owner of that organization's projects that have no owner yet (a new organization gets a project).
 */
export async function createUserFromCli(
  db: Db,
  input: { email: string; password: string; name?: string; org?: string },
  actor: AuditActor = { type: "system", id: null, label: "cli" },
): Promise<AccountSummary> {
  const email = parseInput("body", emailSchema, input.email);
  const password = parseInput("body", passwordSchema, input.password);
  const name = parseInput("body", personNameSchema, input.name ?? "");
  const org = input.org === undefined ? DEFAULT_ORGANIZATION.slug : parseInput("body", slugSchema, input.org);
  const result = await createUserAccount(
    db,
    {
      user: { email, name, passwordHash: await hashPassword(password) },
      organization: { slug: org, name: org === DEFAULT_ORGANIZATION.slug ? DEFAULT_ORGANIZATION.name : org },
    },
    actor,
  );
  return summary(result);
}

/** Reads a password from standard input (the first line; for `--password-stdin`). */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const password = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  if (!password) throw new InputError("no password on standard input (pipe it in: `echo … | strop admin …`)");
  return password;
}

export type MeResult =
  | {
      kind: "user";
      user: { id: string; email: string; name: string };
      projects: { slug: string; name: string; role: Role }[];
    }
  | {
      kind: "api_key";
      apiKey: { id: string; prefix: string; name: string; role: ApiKeyRole };
      project: { slug: string; name: string };
    };

export async function describePrincipal(db: Db, principal: Principal): Promise<MeResult> {
  if (principal.kind === "user") {
    const projects = await listProjectsForUser(db, principal.userId);
    return {
      kind: "user",
      user: { id: principal.userId, email: principal.email, name: principal.name },
      projects: projects.map(({ slug, name, role }) => ({ slug, name, role })),
    };
  }
  const project = await getProjectById(db, principal.projectId);
  if (!project) throw new NotFoundError("the project of this API key no longer exists");
  return {
    kind: "api_key",
    apiKey: { id: principal.keyId, prefix: principal.prefix, name: principal.name, role: principal.role },
    project: { slug: project.slug, name: project.name },
  };
}
