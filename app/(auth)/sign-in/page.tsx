import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/auth/pages";
import { safeReturnPath } from "@/lib/http/safe-redirect";
import { needsSetup } from "@/lib/services/accounts";
import { getDb } from "@/lib/services/database";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;
}) {
  const query = await searchParams;
  const callbackUrl = safeReturnPath(typeof query.callbackUrl === "string" ? query.callbackUrl : null);
  const db = await getDb();
  if (await currentUser(db)) redirect(callbackUrl);
  if (await needsSetup(db)) redirect("/setup");
  return (
    <SignInForm
      callbackUrl={callbackUrl}
      initialError={typeof query.error === "string" ? query.error : undefined}
    />
  );
}
