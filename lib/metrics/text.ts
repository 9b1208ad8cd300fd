// Text normalization and tokenization shared by the lexical metrics. Deterministic and locale-free.

/** Unicode punctuation plus every ASCII punctuation character (Python's `string.punctuation`). */
const PUNCTUATION = /[\p{P}!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/gu;

/** Trims and collapses every run of whitespace to one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

export function removePunctuation(text: string): string {
  return text.replace(PUNCTUATION, "");
}

const QUOTE_PAIRS: Record<string, string> = { '"': '"', "'": "'", "`": "`", "“": "”", "‘": "’", "«": "»" };

/** Removes one pair of matching quotes around the whole text, if there is one. */
export function stripSurroundingQuotes(text: string): string {
  if (text.length < 2) return text;
  const first = text[0] as string;
  const close = QUOTE_PAIRS[first];
  return close !== undefined && text.endsWith(close) ? text.slice(1, -1) : text;
}

const ARTICLES = new Set(["a", "an", "the"]);

/**
 * SQuAD answer normalization: lowercase, remove punctuation, drop the articles a/an/the, split on
 * whitespace. Punctuation is removed, not replaced ("don't" → "dont"), as in the official script.
 */
export function squadTokens(text: string): string[] {
  return removePunctuation(text.normalize("NFC").toLowerCase())
    .split(/\s+/u)
    .filter((token) => token !== "" && !ARTICLES.has(token));
}

/** Runs of letters, combining marks and digits; punctuation and whitespace separate tokens. */
export function wordTokens(text: string, caseSensitive: boolean): string[] {
  const normalized = text.normalize("NFC");
  return (caseSensitive ? normalized : normalized.toLowerCase()).match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** Like `wordTokens`, but every punctuation or symbol character is a token of its own (BLEU style). */
export function wordAndPunctuationTokens(text: string, caseSensitive: boolean): string[] {
  const normalized = text.normalize("NFC");
  return (
    (caseSensitive ? normalized : normalized.toLowerCase()).match(
      /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu,
    ) ?? []
  );
}

/** Counts of each item. */
export function countItems(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Shortens text for a reason shown to users and to the optimizer. */
export function preview(value: unknown, max = 80): string {
  const text =
    typeof value === "string"
      ? JSON.stringify(value)
      : value === undefined
        ? "missing"
        : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
