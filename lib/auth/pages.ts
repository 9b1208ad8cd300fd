// Authentication for server components: the same session decoding and project access rules as the API
// (lib/auth/access), with redirects to /sign-in and 404s instead of JSON errors.
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { AppError } from "@/lib/core/errors";
import { type Db, getDb } from "@/lib/db";
import { projectAccess } from "./access";
import type { ProjectAccess, UserPrincipal } from "./principal";
import { sessionTokenFromCookies, userFromSessionToken } from "./session";

/** The signed-in user of this page request, or null. */
export async function currentUser(db?: Db): Promise<UserPrincipal | null> {
  const store = await cookies();
  const token = sessionTokenFromCookies(new Map(store.getAll().map((c) => [c.name, c.value])));
  return token ? userFromSessionToken(db ?? (await getDb()), token) : null;
}

/** The signed-in user, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<{ db: Db; user: UserPrincipal }> {
  const db = await getDb();
  const user = await currentUser(db);
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return { db, user };
}

/** The signed-in user's access to project `slug`; no access at all renders the 404 page. */
export async function requireProjectPage(
  slug: string,
  returnTo: string,
): Promise<{ db: Db; user: UserPrincipal; access: ProjectAccess }> {
  const { db, user } = await requireUser(returnTo);
  try {
    return { db, user, access: await projectAccess(db, user, slug) };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
}
