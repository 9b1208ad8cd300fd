// Findings: what the optimizer concluded from the failures shown, in a form a rewrite can act on.

export type FindingKind =
  | "format"
  | "labels"
  | "keywords"
  | "unkeyword"
  | "contrast"
  | "negation"
  | "mild"
  | "fallback"
  | "priority"
  | "urgency"
  | "json-only"
  | "keys"
  | "iso-date"
  | "day-first"
  | "order-date"
  | "numeric-amount"
  | "total"
  | "currency-code"
  | "null"
  | "titles"
  | "quantity";

export interface Finding {
  kind: FindingKind;
  /** How many of the failures shown this finding explains. */
  count: number;
  /** A short quote from one of those failures, for the rationale. */
  example: string;
  label?: string;
  labels?: string[];
  words?: string[];
  direction?: "after" | "before";
  winner?: string;
  loser?: string;
  /** The JSON field concerned (extraction findings). */
  field?: string;
  keys?: string[];
}

export interface FailureCase {
  /** The input variables joined into one text. */
  text: string;
  expected: string;
  actual: string | null;
}

export function quote(text: string, max = 60): string {
  const t = text.replace(/\s+/g, " ").trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}

export class Findings {
  private readonly byId = new Map<string, Finding>();

  add(id: string, finding: Omit<Finding, "count">, count = 1): void {
    const existing = this.byId.get(id);
    if (!existing) {
      this.byId.set(id, { ...finding, count });
      return;
    }
    existing.count += count;
    if (finding.words) existing.words = [...new Set([...(existing.words ?? []), ...finding.words])];
  }

  list(): Finding[] {
    return [...this.byId.values()];
  }
}
