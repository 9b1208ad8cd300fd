// Links between the pages of a server-rendered, cursor-paged list: back to the first page (when not on
// it) and on to the next (when there is one).
import Link from "next/link";

export function LinkPager({
  label = "Pages",
  first,
  next,
}: {
  label?: string;
  /** The first page's link and text; null on the first page. */
  first: { href: string; text: string } | null;
  /** The next page's link and text; null on the last page. */
  next: { href: string; text: string } | null;
}) {
  return (
    <nav aria-label={label} className="mt-4 flex gap-4 text-sm">
      {[first, next].map((link) =>
        link ? (
          <Link key={link.text} href={link.href} className="text-indigo-700 hover:underline">
            {link.text}
          </Link>
        ) : null,
      )}
    </nav>
  );
}
