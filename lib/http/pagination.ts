// Cursor pagination for list endpoints: opaque cursors over (createdAt, id), newest first.
import { InputError } from "@/lib/core/errors";
import type { Page, PageCursor } from "@/lib/db";

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString("base64url");
}

/** The cursor from `?cursor=`; a malformed one is a 400 naming query.cursor. */
export function decodeCursor(value: string | undefined | null): PageCursor | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === "string") {
      const createdAt = new Date(parsed[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: parsed[1] };
    }
  } catch {}
  throw new InputError("Invalid query.cursor: not a cursor this API returned", {
    issues: [{ in: "query", path: "cursor", message: "not a cursor this API returned" }],
  });
}

/** A repository page as the API's `{ items, nextCursor }`. */
export function toPageResponse<T, U>(
  page: Page<T>,
  map: (item: T) => U,
): { items: U[]; nextCursor: string | null } {
  return { items: page.items.map(map), nextCursor: page.next ? encodeCursor(page.next) : null };
}
