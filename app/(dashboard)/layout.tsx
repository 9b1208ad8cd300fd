import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AccountMenu } from "@/components/shell/account-menu";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { currentUser } from "@/lib/auth/pages";

export const dynamic = "force-dynamic";

/** Every page below needs a signed-in user (pages check their project and role themselves). */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-3 px-4 py-3">
          <Link href="/projects" className="shrink-0 text-lg font-semibold tracking-tight text-indigo-700">
            Strop
          </Link>
          {/* One line at 390 px too: a short link text and a truncated email instead of wrapping. */}
          <div className="flex min-w-0 items-center justify-end gap-x-2 text-sm text-slate-600 sm:gap-x-3">
            <Link href="/docs/api" aria-label="API reference" className="shrink-0 hover:text-slate-900">
              <span className="sm:hidden">API</span>
              <span className="hidden sm:inline">API reference</span>
            </Link>
            <AccountMenu email={user.email} />
            <SignOutButton />
          </div>
        </div>
      </header>
      {children}
    </div>
  );
}
