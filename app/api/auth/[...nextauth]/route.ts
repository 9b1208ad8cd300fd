// next-auth's endpoints (/api/auth/signin, callback, session, csrf, signout). Options are built per
// request because the session secret may come from the database on a fresh install. A sign-in refused
// by the sign-in limits answers 429 with Retry-After (lib/auth/sign-in-refusal.ts).

import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { buildAuthOptions } from "@/lib/auth/next-auth";
import { withSignInRefusal } from "@/lib/auth/sign-in-refusal";
import { signInWithPassword } from "@/lib/services/accounts";
import { getDb } from "@/lib/services/database";
import { signOutUser } from "@/lib/services/sessions";

export const dynamic = "force-dynamic";

async function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  const options = await buildAuthOptions(await getDb(), { signInWithPassword, signOutUser });
  return withSignInRefusal(() => NextAuth(request, context, options));
}

export { handler as GET, handler as POST };
