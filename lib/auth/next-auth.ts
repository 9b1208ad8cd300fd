// next-auth (v4) for the web app: email + password through the credentials provider, JWT sessions (the
// credentials provider requires them), our own sign-in page. Sign-ins, failures and sign-outs are
// audited by the accounts service.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/core/errors";
import { type Db, getDb, getUser } from "@/lib/db";
import { signInWithPassword, signOut } from "@/lib/services/accounts";
import { requestMetaFromHeaders } from "./principal";
import { authSecret } from "./secret";
import { SESSION_MAX_AGE_SECONDS } from "./session";

type HeaderBag = Record<string, string | string[] | undefined> | undefined;

const headerReader = (headers: HeaderBag) => (name: string) => {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
};

export async function buildAuthOptions(db: Db): Promise<AuthOptions> {
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
            const user = await signInWithPassword(db, credentials ?? {}, meta);
            return user ? { id: user.userId, email: user.email, name: user.name } : null;
          } catch (error) {
            // next-auth passes the message to the sign-in page as `error`.
            if (error instanceof AppError && error.status === 429) throw new Error("RateLimited");
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
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
        if (user) await signOut(db, user, { ip: null, userAgent: null });
      },
    },
  };
}

export async function authOptions(): Promise<AuthOptions> {
  return buildAuthOptions(await getDb());
}
