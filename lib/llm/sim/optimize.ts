// The optimizer role: read the <brief>, diagnose the failures shown, propose up to k rewritten prompt
// pairs. Candidates differ on purpose: the most complete fix, a partial fix in other words, and (for
// k >= 3) one vague edit of the kind real optimizer models also propose, so acceptance has something to
// reject. Prompts already in the history are never proposed again.
import { diagnoseFields } from "./diagnose-fields";
import { diagnoseLabels } from "./diagnose-labels";
import type { FailureCase, Finding } from "./findings";
import {
  type PromptPair,
  readPromptPair,
  rewriteClassification,
  rewriteExtraction,
  type Variant,
} from "./rewrite";
import { hash01 } from "./text";

export interface Brief {
  k: number;
  variables: string[];
  current: PromptPair;
  failures: {
    input: Record<string, string>;
    expected: string;
    actual: string | null;
    error?: string | null;
    score?: number;
  }[];
  history: (PromptPair & { iteration?: number; rationale?: string; accepted?: boolean })[];
}

export interface ProposedCandidate extends PromptPair {
  rationale: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The brief in a message, or null when there is none or it is not usable. */
export function readBrief(text: string): Brief | null {
  const m = /<brief>([\s\S]*?)<\/brief>/.exec(text);
  if (!m) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(m[1] as string);
  } catch {
    return null;
  }
  if (!isRecord(raw) || !isRecord(raw.current)) return null;
  const current = raw.current;
  if (typeof current.outputPrompt !== "string") return null;
  const failures = Array.isArray(raw.failures) ? raw.failures.filter(isRecord) : [];
  const history = Array.isArray(raw.history) ? raw.history.filter(isRecord) : [];
  return {
    k: typeof raw.k === "number" && raw.k > 0 ? Math.floor(raw.k) : 3,
    variables: Array.isArray(raw.variables)
      ? raw.variables.filter((v): v is string => typeof v === "string")
      : [],
    current: {
      systemPrompt: typeof current.systemPrompt === "string" ? current.systemPrompt : "",
      outputPrompt: current.outputPrompt,
    },
    failures: failures.map((f) => ({
      input: isRecord(f.input)
        ? Object.fromEntries(Object.entries(f.input).map(([k, v]) => [k, String(v)]))
        : {},
      expected: typeof f.expected === "string" ? f.expected : JSON.stringify(f.expected ?? ""),
      actual: typeof f.actual === "string" ? f.actual : null,
    })),
    history: history
      .filter((h) => typeof h.outputPrompt === "string")
      .map((h) => ({
        systemPrompt: typeof h.systemPrompt === "string" ? h.systemPrompt : "",
        outputPrompt: h.outputPrompt as string,
      })),
  };
}

function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return isRecord(value);
  } catch {
    return false;
  }
}

function describe(f: Finding): string {
  const n = f.count;
  switch (f.kind) {
    case "format":
      return `${n} answer(s) were not a bare label (e.g. ${f.example}): answer with the label only`;
    case "labels":
      return `expected labels missing from the prompt's list: ${(f.labels ?? []).join(", ")}`;
    case "keywords":
      return `${n} ${f.label} example(s) used words the prompt never tied to ${f.label} (${(f.words ?? []).slice(0, 4).join(", ")}): added them to its definition`;
    case "unkeyword":
      return `the word(s) ${(f.words ?? []).join(", ")} in the ${f.label} definition misled the model (e.g. ${f.example}): removed them`;
    case "contrast":
      return `${n} mixed text(s) are decided by the clause ${f.direction} the contrast word (e.g. ${f.example})`;
    case "negation":
      return `${n} text(s) hinge on a negation (e.g. ${f.example})`;
    case "mild":
      return `${n} lukewarm text(s) are ${f.label} (e.g. ${f.example})`;
    case "fallback":
      return `${n} text(s) without clear cues are ${f.label} (e.g. ${f.example})`;
    case "priority":
      return `${f.winner} wins over ${f.loser} when both are mentioned (${n}×, e.g. ${f.example})`;
    case "urgency":
      return `${n} two-topic text(s) belong to the more urgent topic (e.g. ${f.winner} over ${f.loser}): choose the most urgent one`;
    case "json-only":
      return `${n} repl(ies) wrapped the JSON in prose: return the JSON object only`;
    case "keys":
      return `replies missed expected keys (${(f.keys ?? []).join(", ")}): name them exactly`;
    case "iso-date":
      return `${n} date(s) copied as written (${f.example}) instead of YYYY-MM-DD`;
    case "day-first":
      return `${n} dotted date(s) read month first (${f.example}): they are day.month.year`;
    case "order-date":
      return `${n} time(s) another date was taken for the order date (${f.example})`;
    case "numeric-amount":
      return `${n} amount(s) kept symbols or separators (${f.example}): plain numbers`;
    case "total":
      return `${n} time(s) the wrong amount was taken as the total (${f.example})`;
    case "currency-code":
      return `${n} currenc(ies) given as symbol or word (${f.example}) instead of an ISO code`;
    case "null":
      return `${n} missing value(s) written as placeholders (${f.example}) instead of null`;
    case "titles":
      return `${n} name(s) kept a title (${f.example})`;
    case "quantity":
      return `${n} product name(s) kept the quantity (${f.example})`;
  }
}

/** Findings grouped by what they fix, most failures explained first. */
function groupFindings(findings: Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.kind, [...(groups.get(f.kind) ?? []), f]);
  const total = (g: Finding[]) => g.reduce((s, f) => s + f.count, 0);
  return [...groups.values()].sort((a, b) => total(b) - total(a));
}

/** How many kinds of problem one rewrite addresses. */
export const MAX_GROUPS_PER_REWRITE = 3;

const VAGUE = [
  "Be accurate.",
  "Think carefully before answering.",
  "Read the input carefully and do your best.",
  "Make sure your answer is correct.",
  "Take your time and be precise.",
  "Double-check your answer.",
];

function normalizePrompt(p: PromptPair): string {
  return `${p.systemPrompt.replace(/\s+/g, " ").trim()}\u0000${p.outputPrompt.replace(/\s+/g, " ").trim()}`;
}

function variablesOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)].map((m) => m[1] as string))];
}

function keepsVariables(p: PromptPair, variables: string[]): boolean {
  const used = variablesOf(p.outputPrompt);
  const wanted = variables.length > 0 ? variables : variablesOf(p.outputPrompt);
  return (
    wanted.every((v) => used.includes(v)) &&
    used.every((v) => wanted.includes(v)) &&
    !/\{\{/.test(p.systemPrompt)
  );
}

export function propose(brief: Brief, seed = 0): ProposedCandidate[] {
  const cases: FailureCase[] = brief.failures.map((f) => ({
    text: Object.values(f.input).join("\n"),
    expected: f.expected,
    actual: f.actual,
  }));
  const extraction = cases.length > 0 && cases.every((c) => isJsonObject(c.expected));
  const known = readPromptPair(brief.current);
  const findings = extraction ? diagnoseFields(cases) : diagnoseLabels(cases, known);
  const rewrite = (subset: Finding[], variant: Variant) =>
    extraction
      ? rewriteExtraction(brief.current, subset, variant)
      : rewriteClassification(brief.current, subset, variant);
  const rationale = (subset: Finding[]) =>
    `Grounded in ${cases.length} failure(s): ${subset.map(describe).join("; ")}.`;

  const groups = groupFindings(findings);
  const pool: ProposedCandidate[] = [];
  const add = (subset: Finding[], variant: Variant, prefix = "") => {
    if (subset.length > 0)
      pool.push({ ...rewrite(subset, variant), rationale: `${prefix}${rationale(subset)}` });
  };
  const vague = () => {
    const start = Math.floor(
      hash01("vague", seed, brief.history.length, brief.current.systemPrompt) * VAGUE.length,
    );
    for (let i = 0; i < VAGUE.length; i++) {
      const sentence = VAGUE[(start + i) % VAGUE.length] as string;
      pool.push({
        systemPrompt: [brief.current.systemPrompt.trim(), sentence].filter((s) => s !== "").join("\n\n"),
        outputPrompt: brief.current.outputPrompt,
        rationale: "Ask the model to be more careful (no specific failure pattern addressed).",
      });
    }
  };
  // Like a real optimizer model, one rewrite tackles the few most frequent problems, not everything.
  const main = groups.slice(0, MAX_GROUPS_PER_REWRITE).flat();
  const half = groups
    .slice(0, Math.max(1, Math.floor(Math.min(groups.length, MAX_GROUPS_PER_REWRITE) / 2)))
    .flat();
  add(main, 0, "Fix of the main problems. ");
  if (half.length < main.length) add(half, 1, "Partial fix of the most frequent problems. ");
  else add(main, 1, "Same fix, other wording. ");
  if (brief.k >= 3) vague();
  add(main, 1, "Same fix, other wording. ");
  add(findings, 0, "Fix of every problem found. ");
  for (const group of groups) add(group, 0, "Single fix. ");
  if (brief.k < 3) vague();

  const seen = new Set([normalizePrompt(brief.current), ...brief.history.map(normalizePrompt)]);
  const chosen: ProposedCandidate[] = [];
  let vagueTaken = false;
  for (const candidate of pool) {
    const key = normalizePrompt(candidate);
    const isVague = candidate.rationale.startsWith("Ask the model");
    if (seen.has(key) || (isVague && vagueTaken) || !keepsVariables(candidate, brief.variables)) continue;
    seen.add(key);
    if (isVague) vagueTaken = true;
    chosen.push(candidate);
    if (chosen.length >= brief.k) break;
  }
  return chosen;
}

/** The optimizer's reply: JSON only, as the brief asks. */
export function answerOptimizer(text: string, seed?: number): string {
  const brief = readBrief(text);
  if (!brief) return JSON.stringify({ candidates: [] });
  return JSON.stringify({ candidates: propose(brief, seed ?? 0) });
}
