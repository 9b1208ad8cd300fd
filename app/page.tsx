import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/pages";
import { needsSetup } from "@/lib/services/accounts";
import { getDb } from "@/lib/services/database";

export const dynamic = "force-dynamic";

export default async function Home() {
  const db = await getDb();
  if (await currentUser(db)) redirect("/projects");
  redirect((await needsSetup(db)) ? "/setup" : "/sign-in");
}
