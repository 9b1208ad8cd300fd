// The optimizer's critique of classification failures: what the failing examples have in common, as
// findings a rewrite can fix. Grounded in the failures shown (inputs, expected and actual outputs) and
// the current prompt, nothing else: the optimizer sees only the brief.
import { readPolarity, scoreTopics } from "./classify";
import { type FailureCase, type Finding, Findings, quote } from "./findings";
import { conceptCues, isCatchAll, labelPolarity, labelUrgency } from "./lexicon";
import type { Instructions, LabelSpec } from "./prompt-reading";
import { isContentWord, tokenize } from "./text";

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function sign(value: number): number {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function diagnoseSentiment(c: FailureCase, known: Instructions, findings: Findings): void {
  const expected = labelPolarity(c.expected);
  if (expected === null) return;
  const smart = readPolarity(c.text, { negation: true, mildNeutral: false });
  const naive = readPolarity(c.text, { negation: false, mildNeutral: false });
  const example = quote(c.text);
  if (expected === 0) {
    if (smart.hits.length === 0 && known.fallback !== c.expected)
      findings.add("fallback", { kind: "fallback", label: c.expected, example });
    else if (smart.hits.length > 0 && smart.hits.every((h) => h.mild) && !known.mildNeutral)
      findings.add("mild", { kind: "mild", label: c.expected, example });
    return;
  }
  // No cue at all: a word list would only teach nouns; nothing general to say.
  if (smart.hits.length === 0) return;
  const clauses = [...new Set(smart.hits.map((h) => h.clause))];
  const hasBoth = smart.hits.some((h) => h.value > 0) && smart.hits.some((h) => h.value < 0);
  let decisive = smart.hits;
  let naiveDecisive = naive.hits;
  if (hasBoth && clauses.length > 1) {
    const last = Math.max(...clauses);
    const first = Math.min(...clauses);
    const after = smart.hits.filter((h) => h.clause === last);
    const before = smart.hits.filter((h) => h.clause === first);
    if (sign(after.reduce((s, h) => s + h.value, 0)) === expected) {
      if (known.contrast !== "after")
        findings.add("contrast:after", { kind: "contrast", direction: "after", example });
      decisive = after;
      naiveDecisive = naive.hits.filter((h) => h.clause === last);
    } else if (sign(before.reduce((s, h) => s + h.value, 0)) === expected) {
      if (known.contrast !== "before")
        findings.add("contrast:before", { kind: "contrast", direction: "before", example });
      decisive = before;
      naiveDecisive = naive.hits.filter((h) => h.clause === first);
    }
  }
  const total = (hits: typeof decisive) => sign(hits.reduce((s, h) => s + h.value, 0));
  const negationMatters = total(decisive) === expected && total(naiveDecisive) !== expected;
  if (decisive.some((h) => h.negated) && negationMatters && !known.negation)
    findings.add("negation", { kind: "negation", example });
}

/** Stems a model would already tie to some label (its name, concept words and definition). */
function cueStems(label: LabelSpec): Set<string> {
  const set = new Set<string>();
  for (const cue of [...conceptCues(label.name), ...label.cues])
    if (cue.length === 1) set.add(cue[0] as string);
  return set;
}

/** A ticket's parts: sentences, and clauses joined by "also", "separately", "on top of that". */
export function textParts(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|[,;]?\s+(?=(?:also|and also|separately|on top of that|plus|besides)\b)/i)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** Capitalized words that do not start a sentence: names of people and products, not topic words. */
function properNouns(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?<![.!?:]\s|^|\n)\b([a-z]*[A-Z][A-Za-z]*)\b/g))
    found.add((m[1] as string).toLowerCase());
  return found;
}

type Evidence = Map<string, Map<string, { word: string; weight: number }>>;

function diagnoseTopic(
  c: FailureCase,
  labels: LabelSpec[],
  known: Instructions,
  findings: Findings,
  evidence: Evidence,
): void {
  const matched = scoreTopics(c.text, labels, [])
    .filter((s) => s.score >= 1)
    .map((s) => s.label);
  const example = quote(c.text);
  const expected = labels.find((l) => same(l.name, c.expected))?.name ?? c.expected;
  const stated = (w: string, l: string) => known.priority.some(([a, b]) => a === w && b === l);
  const parts = textParts(c.text);
  const partLabels = parts.map(
    (part) =>
      new Set(
        scoreTopics(part, labels, [])
          .filter((s) => s.score >= 1)
          .map((s) => s.label),
      ),
  );
  // Pleasantries ("Thanks in advance!") explain nothing and need no label.
  const unexplained = parts.filter(
    (part, i) => partLabels[i]?.size === 0 && tokenize(part).some((t) => isContentWord(t.word)),
  );
  const actual = c.actual ?? "";
  const answered =
    labels.find((l) => same(l.name, actual))?.name ??
    labels.find((l) => actual.toLowerCase().includes(l.name.toLowerCase()))?.name;
  for (const other of matched) {
    if (other === expected) continue;
    // Two topics really mentioned: the other one has a part of its own, the expected one too.
    const ownPart = partLabels.some((set) => set.has(other) && !set.has(expected));
    const expectedPart =
      partLabels.some((set) => set.has(expected) && !set.has(other)) || unexplained.length > 0;
    if (ownPart && expectedPart) {
      if (!stated(expected, other))
        findings.add(`priority:${expected}>${other}`, {
          kind: "priority",
          winner: expected,
          loser: other,
          example,
        });
      continue;
    }
    // Otherwise a word misled the model; if the prompt's own definition put it there, take it out.
    if (other !== answered) continue;
    const definition = labels.find((l) => l.name === other);
    const misleading = tokenize(c.text)
      .filter((t) => definition?.cues.some((cue) => cue.length === 1 && cue[0] === t.stem))
      .map((t) => t.word);
    if (misleading.length > 0)
      findings.add(`unkeyword:${other}`, { kind: "unkeyword", label: other, words: misleading, example });
  }
  if (matched.includes(expected)) return;
  // The parts no label's cues explain are where the expected label's own words must be; when every
  // part is explained by some other label, its words were read the wrong way.
  const sources = unexplained.length > 0 ? unexplained : parts;
  const weight = sources.length === 1 ? 1 : 0.5;
  const own = cueStems(
    labels.find((l) => l.name === expected) ?? { name: expected, definition: "", cues: [] },
  );
  const others = labels.filter((l) => l.name !== expected).map(cueStems);
  const names = properNouns(c.text);
  const words = evidence.get(expected) ?? new Map<string, { word: string; weight: number }>();
  for (const part of sources) {
    for (const token of tokenize(part)) {
      if (!isContentWord(token.word) || names.has(token.word) || own.has(token.stem)) continue;
      if (others.some((set) => set.has(token.stem))) continue;
      const entry = words.get(token.stem) ?? { word: token.word, weight: 0 };
      entry.weight += weight;
      words.set(token.stem, entry);
    }
  }
  evidence.set(expected, words);
  if (matched.length === 0 && (words.size === 0 || isCatchAll(expected)) && known.fallback !== expected)
    findings.add("fallback", { kind: "fallback", label: expected, example });
}

/** At most this many new cue words per label and round: a definition, not a word list. */
const WORDS_PER_LABEL = 4;

export function diagnoseLabels(cases: FailureCase[], known: Instructions): Finding[] {
  const findings = new Findings();
  const labelNames = known.labels.map((l) => l.name);
  const expectedLabels = [...new Set(cases.map((c) => c.expected.trim()))];
  const missing = expectedLabels.filter((e) => !labelNames.some((n) => same(n, e)));
  const labels: LabelSpec[] = [
    ...known.labels,
    ...missing.map((name) => ({ name, definition: "", cues: [] })),
  ];
  const all = labels.map((l) => l.name);
  const polar = all.some((l) => labelPolarity(l) === 1) && all.some((l) => labelPolarity(l) === -1);
  const evidence: Evidence = new Map();
  for (const c of cases) {
    if (c.actual === null) continue;
    if (!all.some((l) => same(l, c.actual as string)) && !(known.answerOnly && !known.explain))
      findings.add("format", { kind: "format", example: quote(c.actual, 50) });
    if (polar) diagnoseSentiment(c, known, findings);
    else diagnoseTopic(c, labels, known, findings, evidence);
  }
  // Words seen in failures of several labels do not tell those labels apart; a word needs one clear
  // example (the only unexplained part of a ticket) or two unclear ones.
  const stemLabels = new Map<string, Set<string>>();
  for (const c of cases)
    for (const t of tokenize(c.text))
      stemLabels.set(t.stem, (stemLabels.get(t.stem) ?? new Set()).add(c.expected));
  for (const [label, words] of evidence) {
    const chosen = [...words]
      .filter(([stem, e]) => e.weight >= 1 && (stemLabels.get(stem)?.size ?? 0) <= 1)
      .sort((a, b) => b[1].weight - a[1].weight)
      .slice(0, WORDS_PER_LABEL)
      .map(([, e]) => e.word);
    if (chosen.length === 0) continue;
    const example = cases.find((c) => same(c.expected, label))?.text ?? "";
    const n = cases.filter((c) => same(c.expected, label)).length;
    findings.add(`keywords:${label}`, { kind: "keywords", label, words: chosen, example: quote(example) }, n);
  }
  // Several two-topic failures that all went to the more urgent topic: say so in general.
  const pairs = findings.list().filter((f) => f.kind === "priority");
  const urgent = pairs.filter((f) => labelUrgency(f.winner ?? "") > labelUrgency(f.loser ?? ""));
  if (!known.urgency && pairs.length >= 2 && urgent.length * 3 >= pairs.length * 2) {
    const count = urgent.reduce((sum, f) => sum + f.count, 0);
    findings.add(
      "urgency",
      {
        kind: "urgency",
        winner: urgent[0]?.winner,
        loser: urgent[0]?.loser,
        example: urgent[0]?.example ?? "",
      },
      count,
    );
  }
  if (missing.length > 0)
    findings.add("labels", { kind: "labels", labels: missing, example: quote(missing.join(", ")) });
  return findings.list();
}
