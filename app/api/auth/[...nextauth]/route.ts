// next-auth's endpoints (/api/auth/signin, callback, session, csrf, signout). Options are built per
// request because the session secret may come from the database on a fresh install.

import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";

async function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request, context, await authOptions());
}

export { handler as GET, handler as POST };
