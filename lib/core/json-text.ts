// Finding the JSON a model meant: the whole reply, a ``` fenced block, or one value inside prose.

export type JsonExtraction = { ok: true; value: unknown } | { ok: false; error: string };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const MAX_SCAN_STARTS = 200;

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The balanced `{…}` or `[…]` starting at `start` (string literals respected), or undefined. */
function balancedAt(text: string, start: number): string | undefined {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") stack.push("}");
    else if (ch === "[") stack.push("]");
    else if (ch === "}" || ch === "]") {
      if (stack.pop() !== ch) return undefined;
      if (stack.length === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

function* candidates(text: string): Generator<string> {
  yield text;
  for (const match of text.matchAll(/```[\w-]*[^\S\n]*\n?([\s\S]*?)```/g)) {
    if (match[1] !== undefined) yield match[1].trim();
  }
  let starts = 0;
  for (let i = 0; i < text.length && starts < MAX_SCAN_STARTS; i++) {
    if (text[i] !== "{" && text[i] !== "[") continue;
    starts++;
    const slice = balancedAt(text, i);
    if (slice !== undefined) yield slice;
  }
}

/**
 * Parses the JSON in `text`: the whole text if it is JSON, else the first ``` fenced block that is,
 * else the first balanced `{…}`/`[…]` in the prose that is. With `objectOnly`, only a JSON object counts.
 */
export function extractJson(text: string, { objectOnly = false } = {}): JsonExtraction {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "the text is empty" };
  let firstError: string | undefined;
  let rejected = false;
  for (const candidate of candidates(trimmed)) {
    const parsed = tryParse(candidate);
    if (!parsed.ok) {
      firstError ??= parsed.message;
      continue;
    }
    if (!objectOnly || isPlainObject(parsed.value)) return { ok: true, value: parsed.value };
    rejected = true;
  }
  if (rejected) return { ok: false, error: "the JSON found is not an object" };
  return { ok: false, error: `no JSON found (${firstError ?? "nothing to parse"})` };
}
