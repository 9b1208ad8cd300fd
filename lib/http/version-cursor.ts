// Cursors over version numbers (newest first), for lists ordered by version rather than by time.
import { InputError } from "@/lib/core/errors";

export function encodeVersionCursor(before: number): string {
  return Buffer.from(JSON.stringify(["v", before])).toString("base64url");
}

/** The version number from `?cursor=`; a malformed one is a 400 naming query.cursor. */
export function decodeVersionCursor(value: string | undefined | null): number | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed[0] === "v" && Number.isInteger(parsed[1]) && parsed[1] > 0)
      return parsed[1] as number;
  } catch {}
  throw new InputError("Invalid query.cursor: not a cursor this API returned", {
    issues: [{ in: "query", path: "cursor", message: "not a cursor this API returned" }],
  });
}
