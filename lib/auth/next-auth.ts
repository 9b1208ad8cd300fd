// next-auth (v4) for the web app: email + password through the credentials provider, JWT sessions (the
// credentials provider requires them), our own sign-in page. Checking a password and recording a
// sign-out are use cases of the accounts service (audited there): the caller passes them in as
// `AccountHooks`, so lib/auth never imports lib/services (app/api/auth/[...nextauth]/route.ts wires
// them). The JWT carries the user's session version (session.ts); signing out bumps it, which ends the
// user's sessions on every device.
import { headers as requestHeaders } from "next/headers";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { RateLimitError } from "@/lib/core/errors";
import { type Db, getUser } from "@/lib/db";
import { NO_META, type RequestMeta, requestMetaFromHeaders, type UserPrincipal } from "./principal";
import { authSecret } from "./secret";
import { SESSION_MAX_AGE_SECONDS, SESSION_VERSION_CLAIM, sessionVersionOf } from "./session";
import { noteSignInRefusal } from "./sign-in-refusal";

type HeaderBag = Record<string, string | string[] | undefined> | undefined;

const headerReader = (headers: HeaderBag) => (name: string) => {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The account use cases a sign-in and a sign-out go through (lib/services/accounts.ts, sessions.ts). */
export interface AccountHooks {
  /** The user whose email and password these are, or null; throws RateLimitError past the limits. */
  signInWithPassword(
    db: Db,
    credentials: { email?: unknown; password?: unknown },
    meta: RequestMeta,
  ): Promise<(UserPrincipal & { sessionVersion: number }) | null>;
  /** Records the sign-out (and ends the sessions of that version). */
  signOutUser(
    db: Db,
    user: { id: string; email: string },
    sessionVersion: number,
    meta: RequestMeta,
  ): Promise<unknown>;
}

export async function buildAuthOptions(db: Db, accounts: AccountHooks): Promise<AuthOptions> {
  return {
    secret: await authSecret(db),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 24 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const meta = requestMetaFromHeaders(headerReader(req?.headers as HeaderBag));
          try {
            const user = await accounts.signInWithPassword(db, credentials ?? {}, meta);
            return user
              ? { id: user.userId, email: user.email, name: user.name, sessionVersion: user.sessionVersion }
              : null;
          } catch (error) {
            if (error instanceof RateLimitError) {
              // The route answers 429 with Retry-After; next-auth passes the message on as `error`.
              noteSignInRefusal(error.retryAfterSeconds);
              throw new Error("RateLimited");
            }
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token[SESSION_VERSION_CLAIM] = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        const user = typeof token?.sub === "string" ? await getUser(db, token.sub) : null;
        if (user) await accounts.signOutUser(db, user, sessionVersionOf(token), await currentRequestMeta());
      },
    },
  };
}

/** The sign-out request's address and agent (next-auth's events get no request). */
async function currentRequestMeta(): Promise<RequestMeta> {
  try {
    const bag = await requestHeaders();
    return requestMetaFromHeaders((name) => bag.get(name));
  } catch {
    return NO_META;
  }
}
