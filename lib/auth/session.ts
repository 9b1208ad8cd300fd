// Sessions: next-auth JWT cookies (session.strategy "jwt"), decoded here for route handlers (from the
// request) and pages (from next/headers). The token only names the user; the user is read from the
// database on every request, so a deleted or disabled user is signed out at once.
import { decode, encode } from "next-auth/jwt";
import { type Db, getUser } from "@/lib/db";
import type { UserPrincipal } from "./principal";
import { authSecret } from "./secret";

export const SESSION_COOKIE = "next-auth.session-token";
/** next-auth's name on HTTPS deployments (NEXTAUTH_URL starting with https://). */
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

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

/** The signed-in user of a session token, or null (invalid, expired, user gone or disabled). */
export async function userFromSessionToken(db: Db, token: string): Promise<UserPrincipal | null> {
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret: await authSecret(db) });
  } catch {
    return null;
  }
  const userId = payload?.sub;
  if (typeof userId !== "string") return null;
  const user = await getUser(db, userId);
  if (!user || user.disabledAt) return null;
  return { kind: "user", userId: user.id, email: user.email, name: user.name };
}

/** A session token as next-auth issues it (tests and tools; the app signs in through next-auth). */
export async function createSessionToken(
  db: Db,
  user: { id: string; email: string; name: string },
  maxAge = SESSION_MAX_AGE_SECONDS,
): Promise<string> {
  return encode({
    token: { sub: user.id, email: user.email, name: user.name },
    secret: await authSecret(db),
    maxAge,
  });
}
