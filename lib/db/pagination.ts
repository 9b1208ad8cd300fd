// Keyset pagination, newest first: a cursor is the (createdAt, id) of the last row of a page.

export interface PageCursor {
  createdAt: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  next: PageCursor | null;
}

type KeysetWhere =
  | { OR: ({ createdAt: { lt: Date } } | { createdAt: Date; id: { lt: string } })[] }
  | Record<string, never>;

/**
 * Fetches one page with `fetch(where, take)` ordered by createdAt desc, id desc: `where` restricts to
 * rows after the cursor, `take` asks one row more than the page to tell whether another page follows.
 */
export async function keysetPage<T extends PageCursor>(
  query: { cursor?: PageCursor | null; limit: number },
  fetch: (where: KeysetWhere, take: number) => Promise<T[]>,
): Promise<Page<T>> {
  const cursor = query.cursor;
  const where: KeysetWhere = cursor
    ? {
        OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
      }
    : {};
  const rows = await fetch(where, query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > query.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
