import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { needsSetup } from "@/lib/services/accounts";
import { getDb } from "@/lib/services/database";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/accounts";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

/** One-time first run: only while no user exists (the API refuses afterwards too). */
export default async function SetupPage() {
  if (!(await needsSetup(await getDb()))) redirect("/sign-in");
  return <SetupForm minPasswordLength={PASSWORD_MIN_LENGTH} />;
}
