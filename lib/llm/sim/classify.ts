// Classification: pick one of the labels the prompt lists, using the lexicon, the label definitions,
// the demos and the rules the prompt states. Without a rule, edge cases are handled in a fixed, naive way.
import {
  CONTRAST_MARKERS,
  conceptCues,
  labelPolarity,
  labelUrgency,
  NEGATORS,
  POLAR_ENTRIES,
  type PolarEntry,
} from "./lexicon";
import type { Demo } from "./messages";
import type { Instructions, LabelSpec } from "./prompt-reading";
import { isContentWord, type Token, tokenize } from "./text";

export interface Decision {
  label: string;
  /** A confident model answers tersely; an unsure one hedges unless told to answer with the label only. */
  confident: boolean;
  /** The most plausible other label (what a slip of the model would answer). */
  runnerUp: string | null;
  /** A short reason, used when the prompt asks for an explanation. */
  why: string;
}

// ---------------------------------------------------------------------------------------------------
// Sentiment: polar words, negation scope, contrastive clauses.

export interface PolarHit {
  index: number;
  value: number;
  clause: number;
  mild: boolean;
  negated: boolean;
}

const POLAR_BY_FIRST = new Map<string, PolarEntry[]>();
for (const entry of POLAR_ENTRIES) {
  const first = entry.stems[0] as string;
  const list = POLAR_BY_FIRST.get(first) ?? [];
  list.push(entry);
  POLAR_BY_FIRST.set(first, list);
}

function matchesAt(tokens: Token[], i: number, phrase: string[]): boolean {
  for (let j = 0; j < phrase.length; j++) if (tokens[i + j]?.stem !== phrase[j]) return false;
  return true;
}

export interface PolarReading {
  hits: PolarHit[];
  /** Number of clauses (contrast markers split clauses). */
  clauses: number;
}

/**
 * Polar cues of a text. `negation`: a negator up to three words before a cue flips it (without the
 * rule the cue is taken at face value). `mildNeutral`: lukewarm words carry no polarity.
 */
export function readPolarity(
  text: string,
  options: { negation: boolean; mildNeutral: boolean; extra?: Map<string, number> },
): PolarReading {
  const tokens = tokenize(text);
  const hits: PolarHit[] = [];
  let clause = 0;
  let negatorAt = -10;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (CONTRAST_MARKERS.has(token.word) && i > 0) {
      clause++;
      negatorAt = -10;
      continue;
    }
    let entry: PolarEntry | undefined = POLAR_BY_FIRST.get(token.stem)?.find((e) =>
      matchesAt(tokens, i, e.stems),
    );
    const extraValue = entry ? undefined : options.extra?.get(token.stem);
    if (!entry && extraValue !== undefined) entry = { stems: [token.stem], value: extraValue, mild: false };
    if (entry) {
      const negated = i - negatorAt <= 3;
      const value = entry.mild && options.mildNeutral ? 0 : entry.value;
      if (value !== 0)
        hits.push({
          index: i,
          value: negated && options.negation ? -value : value,
          clause,
          mild: entry.mild,
          negated,
        });
      i += entry.stems.length - 1;
      if (tokens[i]?.punctAfter) negatorAt = -10;
      continue;
    }
    if (NEGATORS.has(token.word) || token.word.endsWith("n't")) negatorAt = i;
    if (token.punctAfter) negatorAt = -10;
  }
  return { hits, clauses: clause + 1 };
}

function sum(hits: PolarHit[]): number {
  return hits.reduce((total, h) => total + h.value, 0);
}

function polarLabel(labels: LabelSpec[], polarity: 1 | -1 | 0): string | null {
  return labels.find((l) => labelPolarity(l.name) === polarity)?.name ?? null;
}

function definitionPolarity(labels: LabelSpec[]): Map<string, number> {
  const extra = new Map<string, number>();
  for (const label of labels) {
    const polarity = labelPolarity(label.name);
    if (polarity === 1 || polarity === -1)
      for (const cue of label.cues) if (cue.length === 1) extra.set(cue[0] as string, polarity);
  }
  return extra;
}

function classifySentiment(text: string, ins: Instructions): Decision {
  const labels = ins.labels;
  const reading = readPolarity(text, {
    negation: ins.negation,
    mildNeutral: ins.mildNeutral,
    extra: definitionPolarity(labels),
  });
  const pos = reading.hits.filter((h) => h.value > 0);
  const neg = reading.hits.filter((h) => h.value < 0);
  const neutral = polarLabel(labels, 0);
  const toLabel = (value: number) =>
    (value > 0 ? polarLabel(labels, 1) : value < 0 ? polarLabel(labels, -1) : neutral) ??
    (labels[0]?.name as string);
  const other = (label: string, value: number) => {
    const alt = toLabel(-Math.sign(value) || 1);
    return alt !== label ? alt : (neutral ?? null);
  };

  if (pos.length === 0 && neg.length === 0) {
    const label = ins.fallback ?? neutral ?? (labels[0]?.name as string);
    return {
      label,
      confident: ins.fallback !== null,
      runnerUp: toLabel(1) !== label ? toLabel(1) : toLabel(-1),
      why: "the text states facts without a clear opinion",
    };
  }
  if (pos.length > 0 && neg.length > 0) {
    const clauses = new Set(reading.hits.map((h) => h.clause));
    if (clauses.size > 1 && ins.contrast) {
      const decisive = ins.contrast === "after" ? Math.max(...clauses) : Math.min(...clauses);
      const value =
        sum(reading.hits.filter((h) => h.clause === decisive)) || (reading.hits[0]?.value as number);
      const label = toLabel(value);
      return {
        label,
        confident: true,
        runnerUp: other(label, value),
        why: "the decisive clause sets the tone",
      };
    }
    const first = reading.hits[0]?.value as number;
    const total = sum(reading.hits);
    const value = clauses.size > 1 || Math.abs(total) < 0.5 ? first : total;
    const label = toLabel(value);
    return {
      label,
      confident: false,
      runnerUp: other(label, value),
      why: "the review mentions good and bad points",
    };
  }
  const value = sum(reading.hits);
  const label = toLabel(value);
  const mildOnly = reading.hits.every((h) => h.mild);
  return {
    label,
    confident: !mildOnly,
    runnerUp: other(label, value),
    why: value > 0 ? "the reviewer sounds satisfied" : "the reviewer sounds dissatisfied",
  };
}

// ---------------------------------------------------------------------------------------------------
// Topics: cue phrases per label from its name, its definition and the demos.

interface Cue {
  stems: string[];
  weight: number;
}

function demoCues(label: string, demos: Demo[]): string[][] {
  const cues: string[][] = [];
  for (const demo of demos) {
    if (demo.output.trim().toLowerCase() !== label.toLowerCase()) continue;
    for (const token of tokenize(demo.input)) if (isContentWord(token.word)) cues.push([token.stem]);
  }
  return cues;
}

const cueCache = new WeakMap<LabelSpec, Cue[]>();

function labelCues(label: LabelSpec, demos: Demo[]): Cue[] {
  if (demos.length > 0) return computeLabelCues(label, demos);
  let cues = cueCache.get(label);
  if (!cues) {
    cues = computeLabelCues(label, demos);
    cueCache.set(label, cues);
  }
  return cues;
}

function computeLabelCues(label: LabelSpec, demos: Demo[]): Cue[] {
  const cues = new Map<string, Cue>();
  const add = (stems: string[], weight: number) => {
    const key = stems.join(" ");
    if ((cues.get(key)?.weight ?? 0) < weight) cues.set(key, { stems, weight });
  };
  for (const cue of conceptCues(label.name)) add(cue, 1);
  for (const cue of label.cues) add(cue, 1);
  for (const cue of demoCues(label.name, demos)) add(cue, 0.5);
  return [...cues.values()];
}

function firstMatch(tokens: Token[], byStem: Map<string, number[]>, cue: string[]): number {
  for (const at of byStem.get(cue[0] as string) ?? []) if (matchesAt(tokens, at, cue)) return at;
  return -1;
}

/** Labels beaten by another label under the prompt's priority rules (transitively). */
function beats(priority: [string, string][]): (a: string, b: string) => boolean {
  const wins = new Map<string, Set<string>>();
  for (const [w, l] of priority) {
    const set = wins.get(w) ?? new Set<string>();
    set.add(l);
    wins.set(w, set);
  }
  return (a, b) => {
    const seen = new Set<string>();
    const stack = [a];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      for (const loser of wins.get(next) ?? []) {
        if (loser === b) return true;
        if (!seen.has(loser)) {
          seen.add(loser);
          stack.push(loser);
        }
      }
    }
    return false;
  };
}

function trigrams(text: string): Set<string> {
  const t = ` ${text.toLowerCase().replace(/[^a-z]+/g, " ")} `;
  const set = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) set.add(t.slice(i, i + 3));
  return set;
}

export interface TopicScore {
  label: string;
  score: number;
  first: number;
}

export function scoreTopics(text: string, labels: LabelSpec[], demos: Demo[]): TopicScore[] {
  const tokens = tokenize(text);
  const byStem = new Map<string, number[]>();
  for (const token of tokens) {
    const list = byStem.get(token.stem) ?? [];
    list.push(token.index);
    byStem.set(token.stem, list);
  }
  return labels.map((label) => {
    let score = 0;
    let first = Number.POSITIVE_INFINITY;
    for (const cue of labelCues(label, demos)) {
      const at = firstMatch(tokens, byStem, cue.stems);
      if (at < 0) continue;
      score += cue.weight;
      if (cue.weight >= 1) first = Math.min(first, at);
    }
    return { label: label.name, score, first };
  });
}

function classifyTopic(text: string, ins: Instructions, demos: Demo[]): Decision {
  const scores = scoreTopics(text, ins.labels, demos);
  const ranked = [...scores].sort((a, b) => b.score - a.score || a.first - b.first);
  const candidates = scores.filter((s) => s.score >= 1);
  if (candidates.length === 0) {
    const weak = ranked[0];
    if (weak && weak.score > 0)
      return { label: weak.label, confident: false, runnerUp: ranked[1]?.label ?? null, why: "a weak hint" };
    if (ins.fallback)
      return { label: ins.fallback, confident: true, runnerUp: null, why: "nothing more specific fits" };
    // No idea: the label whose name looks most like the text.
    const grams = trigrams(text);
    const guess = [...ins.labels]
      .map((l) => ({ label: l.name, overlap: [...trigrams(l.name)].filter((g) => grams.has(g)).length }))
      .sort((a, b) => b.overlap - a.overlap)[0];
    return { label: guess?.label ?? "", confident: false, runnerUp: null, why: "no clear cue" };
  }
  if (candidates.length === 1) {
    const label = candidates[0]?.label as string;
    return {
      label,
      confident: true,
      runnerUp: ranked.find((r) => r.label !== label)?.label ?? null,
      why: "",
    };
  }
  const beat = beats(ins.priority);
  let open = candidates.filter((c) => !candidates.some((d) => d !== c && beat(d.label, c.label)));
  if (open.length > 1 && ins.urgency) {
    const top = Math.max(...open.map((c) => labelUrgency(c.label)));
    open = open.filter((c) => labelUrgency(c.label) === top);
  }
  // Without a rule that settles it, the first topic mentioned wins.
  const pick = [...open].sort((a, b) => a.first - b.first)[0] ?? candidates[0];
  const label = pick?.label as string;
  const runnerUp =
    candidates.filter((c) => c.label !== label).sort((a, b) => a.first - b.first)[0]?.label ?? null;
  return { label, confident: open.length === 1, runnerUp, why: "the text mentions several things" };
}

/** Classifies `text` with the labels the prompt gives; null when the prompt lists no labels. */
export function classify(text: string, ins: Instructions, demos: Demo[]): Decision | null {
  if (ins.labels.length === 0) return null;
  const polar =
    ins.labels.some((l) => labelPolarity(l.name) === 1) &&
    ins.labels.some((l) => labelPolarity(l.name) === -1);
  return polar ? classifySentiment(text, ins) : classifyTopic(text, ins, demos);
}

/** What a model says when no label set is given: a plausible label of its own, in a sentence. */
export function freeFormAnswer(text: string, ins: Instructions): string {
  if (ins.subject !== "topic") {
    const reading = readPolarity(text, { negation: true, mildNeutral: false });
    const pos = reading.hits.some((h) => h.value > 0);
    const neg = reading.hits.some((h) => h.value < 0);
    const mood = pos && neg ? "mixed" : pos ? "positive" : neg ? "negative" : "neutral";
    return `The sentiment of this review is ${mood}.`;
  }
  const topics: [string, string][] = [
    ["refund", "a refund request"],
    ["cancel", "a cancellation request"],
    ["bill", "a billing question"],
    ["account", "an account access problem"],
    ["technical", "a technical problem"],
    ["shipping", "a question about delivery"],
    ["plan", "a plan change"],
    ["feature", "a feature suggestion"],
    ["feedback", "general feedback"],
  ];
  const scored = scoreTopics(
    text,
    topics.map(([name]) => ({ name, definition: "", cues: [] })),
    [],
  ).sort((a, b) => b.score - a.score || a.first - b.first)[0];
  const topic =
    scored && scored.score > 0 ? topics.find(([n]) => n === scored.label)?.[1] : "a general inquiry";
  return `This looks like ${topic}.`;
}
