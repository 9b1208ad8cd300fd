// Comparing two prompt versions field by field: numbered line diffs (for the API) and side-by-side rows
// (for the page). Built on the LCS line diff of ./diff, with the common start and end trimmed first so
// that long prompts with a small change stay cheap.
import { type DiffLine, diffLines } from "./diff";
import type { FewShotDemo, ModelParams } from "./types";

export interface NumberedDiffLine {
  kind: DiffLine["kind"];
  text: string;
  /** Line number in the older text (null for an added line). */
  oldLine: number | null;
  /** Line number in the newer text (null for a removed line). */
  newLine: number | null;
}

export interface FieldDiff {
  field: PromptDiffField;
  label: string;
  added: number;
  removed: number;
  lines: NumberedDiffLine[];
}

export interface SideBySideRow {
  /** "changed": a removed line beside the added line that replaced it. */
  kind: "same" | "added" | "removed" | "changed";
  left: { line: number; text: string } | null;
  right: { line: number; text: string } | null;
}

export const PROMPT_DIFF_FIELDS = ["systemPrompt", "outputPrompt", "demos", "params"] as const;
export type PromptDiffField = (typeof PROMPT_DIFF_FIELDS)[number];

const LABELS: Record<PromptDiffField, string> = {
  systemPrompt: "System prompt",
  outputPrompt: "Output prompt",
  demos: "Demos",
  params: "Model parameters",
};

/** Above this many line pairs the middle part is shown as replaced instead of diffed line by line. */
const MAX_LCS_CELLS = 4_000_000;

export interface DiffableContent {
  systemPrompt: string;
  outputPrompt: string;
  demos: FewShotDemo[];
  params: ModelParams;
}

/** Demos as readable text: one block per demo, variables then the expected output. */
export function demosText(demos: FewShotDemo[]): string {
  return demos
    .map((demo, i) => {
      const inputs = Object.entries(demo.input).map(([name, value]) => `  ${name}: ${value}`);
      return [`Demo ${i + 1}`, ...inputs, `  → ${demo.output}`].join("\n");
    })
    .join("\n");
}

/** Model parameters as `name: value` lines, sorted by name. */
export function paramsText(params: ModelParams): string {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join("\n");
}

/** The line diff of two texts, with line numbers on both sides. Equal texts give only "same" lines. */
export function numberedDiff(before: string, after: string): NumberedDiffLine[] {
  const a = before === "" ? [] : before.split("\n");
  const b = after === "" ? [] : after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  let middle: DiffLine[];
  if (midA.length === 0) middle = midB.map((text) => ({ kind: "added", text }));
  else if (midB.length === 0) middle = midA.map((text) => ({ kind: "removed", text }));
  else if (midA.length * midB.length > MAX_LCS_CELLS)
    middle = [
      ...midA.map((text): DiffLine => ({ kind: "removed", text })),
      ...midB.map((text): DiffLine => ({ kind: "added", text })),
    ];
  else middle = diffLines(midA.join("\n"), midB.join("\n"));
  const all: DiffLine[] = [
    ...a.slice(0, start).map((text): DiffLine => ({ kind: "same", text })),
    ...middle,
    ...a.slice(endA).map((text): DiffLine => ({ kind: "same", text })),
  ];
  let oldLine = 0;
  let newLine = 0;
  return all.map((line) => ({
    kind: line.kind,
    text: line.text,
    oldLine: line.kind === "added" ? null : ++oldLine,
    newLine: line.kind === "removed" ? null : ++newLine,
  }));
}

/** Field-by-field diff of two prompt versions (older first). */
export function diffPromptContent(before: DiffableContent, after: DiffableContent): FieldDiff[] {
  const text: Record<PromptDiffField, (c: DiffableContent) => string> = {
    systemPrompt: (c) => c.systemPrompt,
    outputPrompt: (c) => c.outputPrompt,
    demos: (c) => demosText(c.demos),
    params: (c) => paramsText(c.params),
  };
  return PROMPT_DIFF_FIELDS.map((field) => {
    const lines = numberedDiff(text[field](before), text[field](after));
    return {
      field,
      label: LABELS[field],
      added: lines.filter((l) => l.kind === "added").length,
      removed: lines.filter((l) => l.kind === "removed").length,
      lines,
    };
  });
}

/**
 * Rows for a two-column view: unchanged lines side by side; a block of removed lines followed by added
 * lines pairs up row by row ("changed"), the rest stays alone on its side.
 */
export function sideBySideRows(lines: NumberedDiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as NumberedDiffLine;
    if (line.kind === "same") {
      rows.push({
        kind: "same",
        left: { line: line.oldLine ?? 0, text: line.text },
        right: { line: line.newLine ?? 0, text: line.text },
      });
      i++;
      continue;
    }
    const removed: NumberedDiffLine[] = [];
    const added: NumberedDiffLine[] = [];
    while (i < lines.length && lines[i]?.kind === "removed") removed.push(lines[i++] as NumberedDiffLine);
    while (i < lines.length && lines[i]?.kind === "added") added.push(lines[i++] as NumberedDiffLine);
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const left = removed[k];
      const right = added[k];
      rows.push({
        kind: left && right ? "changed" : left ? "removed" : "added",
        left: left ? { line: left.oldLine ?? 0, text: left.text } : null,
        right: right ? { line: right.newLine ?? 0, text: right.text } : null,
      });
    }
  }
  return rows;
}
