"use client";
// Previous / Next over cursor-paged API results: `cursors[i]` is the cursor of page i (undefined for the
// first), so going back needs no cursor from the server.
import { type ReactNode, useState } from "react";
import { Button } from "./button";

export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  return {
    page,
    cursor: cursors[page],
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    reset: () => setCursors([undefined]),
  };
}

export function CursorPager({
  label,
  summary,
  pages,
  nextCursor,
}: {
  label: string;
  /** What the page shows ("Rows 51–100 of 240"), announced politely. */
  summary: ReactNode;
  pages: ReturnType<typeof useCursorPages>;
  /** The next page's cursor; null or undefined on the last page (or while a page loads). */
  nextCursor: string | null | undefined;
}) {
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-4 text-sm text-slate-600">
      <p aria-live="polite">{summary}</p>
      <div className="flex gap-2">
        <Button variant="secondary" disabled={pages.page === 0} onClick={pages.previous}>
          Previous
        </Button>
        <Button
          variant="secondary"
          disabled={!nextCursor}
          onClick={() => nextCursor && pages.next(nextCursor)}
        >
          Next
        </Button>
      </div>
    </nav>
  );
}
