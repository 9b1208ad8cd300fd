// GEPA's merge, done deterministically and system-aware (no model call): two prompts that are each best
// on different examples usually state different rules. The merge keeps the first prompt's text and adds
// the second's distinct rules, section by section: a system prompt is read as an author's head followed
// by "Header:" sections of "- " bullets (any other line is a rule of its own).
import type { PromptState } from "@/lib/core/types";

const HEADER = /^([A-Za-z][\w ]{0,40}):\s*$/;

interface Section {
  header: string | null;
  lines: string[];
}

function sections(system: string): Section[] {
  const out: Section[] = [{ header: null, lines: [] }];
  for (const raw of system.split("\n")) {
    const line = raw.trimEnd();
    if (line.trim() === "") continue;
    const header = HEADER.exec(line.trim());
    if (header) out.push({ header: (header[1] as string).toLowerCase(), lines: [line] });
    else (out[out.length - 1] as Section).lines.push(line);
  }
  return out;
}

/** What makes two lines the same rule: a bullet's subject before its first ": ", else its whole text. */
function ruleKey(line: string): string {
  const text = line
    .trim()
    .replace(/^[-*]\s*/, "")
    .toLowerCase()
    .replace(/\s+/g, " ");
  const colon = text.indexOf(": ");
  return colon > 0 ? text.slice(0, colon) : text;
}

/** `a`'s lines, then `b`'s lines whose rule `a` lacks; on the same rule the more detailed line wins. */
function mergeLines(a: readonly string[], b: readonly string[]): string[] {
  const merged = [...a];
  const at = new Map(merged.map((line, i) => [ruleKey(line), i]));
  for (const line of b) {
    const i = at.get(ruleKey(line));
    if (i === undefined) {
      at.set(ruleKey(line), merged.length);
      merged.push(line);
    } else if (line.trim().length > (merged[i] as string).trim().length) merged[i] = line;
  }
  return merged;
}

/** The union of two system prompts' rules, in `a`'s order, with `b`'s new sections after `a`'s. */
export function mergeSystemPrompts(a: string, b: string): string {
  const merged = sections(a);
  for (const section of sections(b)) {
    const same = merged.find((s) => s.header === section.header);
    if (same) same.lines = mergeLines(same.lines, section.lines);
    else merged.push({ ...section, lines: [...section.lines] });
  }
  return merged
    .filter((s) => s.lines.length > 0)
    .map((s) => s.lines.join("\n"))
    .join("\n\n");
}

/**
 * `primary` (the stronger parent) with `other`'s distinct rules merged into its system prompt and
 * `other`'s demos added up to the larger demo count; the output prompt and parameters stay `primary`'s.
 */
export function mergePrompts(primary: PromptState, other: PromptState): PromptState {
  const key = (d: PromptState["demos"][number]) => JSON.stringify(d);
  const seen = new Set(primary.demos.map(key));
  const demos = [...primary.demos, ...other.demos.filter((d) => !seen.has(key(d)))].slice(
    0,
    Math.max(primary.demos.length, other.demos.length),
  );
  return { ...primary, systemPrompt: mergeSystemPrompts(primary.systemPrompt, other.systemPrompt), demos };
}
