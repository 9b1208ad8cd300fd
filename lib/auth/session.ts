// Sessions: next-auth JWT cookies (session.strategy "jwt"), decoded here for route handlers (from the
// request) and pages (from next/headers). The token names the user and carries the user's
// `sessionVersion` when it was issued (claim `sv`); the user is read from the database on every
// request, so a deleted or disabled user, or a token older than the user's current version (after a
// sign-out, "sign out everywhere", a password or role change, a removal), is signed out at once.
import { decode, encode } from "next-auth/jwt";
import { type Db, getUser } from "@/lib/db";
import type { UserPrincipal } from "./principal";
import { authSecret } from "./secret";

export const SESSION_COOKIE = "next-auth.session-token";
/** next-auth's name on HTTPS deployments (NEXTAUTH_URL starting with https://). */
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
/** The JWT claim holding the session version (tokens issued before it existed count as version 0). */
export const SESSION_VERSION_CLAIM = "sv";

/** The session version a decoded token carries. */
export function sessionVersionOf(payload: Record<string, unknown> | null | undefined): number {
  const version = payload?.[SESSION_VERSION_CLAIM];
  return typeof version === "number" && Number.isInteger(version) ? version : 0;
}

export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const raw = part.slice(index + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

/** The session token from cookies, joining next-auth's chunks (`name.0`, `name.1`, …) when split. */
export function sessionTokenFromCookies(cookies: Map<string, string>): string | null {
  for (const name of [SECURE_SESSION_COOKIE, SESSION_COOKIE]) {
    const whole = cookies.get(name);
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return chunks.join("");
  }
  return null;
}

/** A session token's user and version, or null when it is invalid or expired (not checked against the user). */
async function decodeSessionToken(
  db: Db,
  token: string,
): Promise<{ userId: string; sessionVersion: number } | null> {
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret: await authSecret(db) });
  } catch {
    return null;
  }
  const userId = payload?.sub;
  if (typeof userId !== "string") return null;
  return { userId, sessionVersion: sessionVersionOf(payload) };
}

/** The signed-in user of a session token, or null (invalid, expired, revoked, user gone or disabled). */
export async function userFromSessionToken(db: Db, token: string): Promise<UserPrincipal | null> {
  const session = await decodeSessionToken(db, token);
  if (!session) return null;
  const user = await getUser(db, session.userId);
  if (!user || user.disabledAt || user.sessionVersion !== session.sessionVersion) return null;
  return { kind: "user", userId: user.id, email: user.email, name: user.name };
}

/**
 * A session token as next-auth issues it (tests and tools; the app signs in through next-auth).
 * `sessionVersion` must be the user's current one for the token to be accepted.
 */
export async function createSessionToken(
  db: Db,
  user: { id: string; email: string; name: string; sessionVersion?: number },
  maxAge = SESSION_MAX_AGE_SECONDS,
): Promise<string> {
  return encode({
    token: {
      sub: user.id,
      email: user.email,
      name: user.name,
      [SESSION_VERSION_CLAIM]: user.sessionVersion ?? 0,
    },
    secret: await authSecret(db),
    maxAge,
  });
}
