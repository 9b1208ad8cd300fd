// Text that cannot be stored: a NUL character (PostgreSQL refuses it in text and JSON columns, so it
// would surface as a 500; SQLite would keep it and cut it short elsewhere) and a lone UTF-16 surrogate
// (half of a character: not Unicode, it has no UTF-8 form). Both are refused up front, naming where they
// are, on every database alike.
import { InputError } from "./errors";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or null when it can. */
export function unsafeTextReason(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (LONE_SURROGATE.test(text)) return "contains invalid Unicode (a lone surrogate), which cannot be stored";
  return null;
}

export interface UnsafeText {
  /** Where: object keys and array indexes from the value's root. */
  path: (string | number)[];
  reason: string;
}

/** A path segment as it can be shown: the unsafe characters of a key written as \uXXXX escapes. */
export function printableSegment(segment: string | number): string {
  if (typeof segment === "number") return String(segment);
  return segment.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is looked for
    /\u0000|[\uD800-\uDFFF]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}

/**
 * Every string, and every object key, in `value` that cannot be stored (depth-first, in document order;
 * at most `limit`). Walks with its own stack: a deeply nested body cannot overflow the call stack.
 */
export function findUnsafeText(value: unknown, limit = 20): UnsafeText[] {
  // Paths as links to their parent: written out only for what is found (copying them at every level
  // would cost depth² on a deeply nested body).
  type Link = { parent: Link | null; segment: string | number } | null;
  const pathOf = (link: Link): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let at = link; at; at = at.parent) path.push(at.segment);
    return path.reverse();
  };
  const found: UnsafeText[] = [];
  // `badKey`: the reason an object key is unusable (its value is not looked at then).
  const stack: { value: unknown; at: Link; badKey?: string }[] = [{ value, at: null }];
  while (stack.length > 0 && found.length < limit) {
    const { value: current, at, badKey } = stack.pop()!;
    if (badKey) found.push({ path: pathOf(at), reason: `its name ${badKey}` });
    else if (typeof current === "string") {
      const reason = unsafeTextReason(current);
      if (reason) found.push({ path: pathOf(at), reason });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--)
        stack.push({ value: current[i], at: { parent: at, segment: i } });
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyProblem = unsafeTextReason(key) ?? undefined;
        stack.push({ value: child, at: { parent: at, segment: key }, badKey: keyProblem });
      }
    }
  }
  return found;
}

/**
 * Throws a 400 (InputError) naming every place in `value` — a request's params, query or body — that
 * holds text which cannot be stored, in the envelope of validation errors: `details.issues` as
 * `{ in, path, message }`, the message `Invalid body.name: contains a NUL character …`.
 */
export function refuseUnsafeText(location: "params" | "query" | "body", value: unknown): void {
  const found = findUnsafeText(value);
  if (found.length === 0) return;
  const issues = found.map(({ path, reason }) => ({
    in: location,
    path: path.map(printableSegment).join("."),
    message: reason,
  }));
  const first = issues[0]!;
  const field = first.path ? `${location}.${first.path}` : location;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  throw new InputError(`Invalid ${field}: ${first.message}${more}`, { issues });
}
