// Conditional GETs (RFC 9110, 13.1.2): `If-None-Match` against the entity tag of the current
// representation. The comparison is weak, as the RFC prescribes for If-None-Match (`W/"x"` matches `"x"`);
// `*` matches any current representation.

/** True when `header` (the request's If-None-Match) names `etag`, so the answer is 304 Not Modified. */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const wanted = opaque(etag);
  for (const part of header.split(",")) {
    const tag = part.trim();
    if (tag === "*" || (tag !== "" && opaque(tag) === wanted)) return true;
  }
  return false;
}

/** The quoted part of an entity tag, without a weak `W/` prefix. */
function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}
