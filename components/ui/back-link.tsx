// The link above a page's title back to where the page sits (a list, or the page it details).
import Link from "next/link";
import type { ReactNode } from "react";

export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p className="mb-2 text-sm">
      <Link href={href} className="text-indigo-700 hover:underline">
        <span aria-hidden="true">← </span>
        {children}
      </Link>
    </p>
  );
}
