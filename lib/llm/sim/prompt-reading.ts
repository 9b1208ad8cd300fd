// What a prompt instructs: labels and their definitions, JSON fields, output format and the rules for
// edge cases. The simulator learns a task only from this reading of the prompt, never from answers.
import { readRules } from "./rule-reading";
import { isContentWord, listItems, tokenize } from "./text";

export interface LabelSpec {
  /** The label exactly as the prompt writes it. */
  name: string;
  /** The prompt's description of the label ("" when it only names it). */
  definition: string;
  /** Cue phrases (stem lists) taken from the definition. */
  cues: string[][];
}

export type FieldKind = "person" | "date" | "amount" | "currency" | "product" | "email" | "quantity" | "text";

export interface FieldSpec {
  /** The JSON key. */
  name: string;
  kind: FieldKind;
  description: string;
}

export interface Instructions {
  labels: LabelSpec[];
  fields: FieldSpec[];
  /** The prompt talks about JSON. */
  wantsJson: boolean;
  /** Answer with only the label / only the JSON. */
  answerOnly: boolean;
  /** Asked to explain or answer in full sentences (hurts exact match). */
  explain: boolean;
  /** What is being classified when no labels are listed. */
  subject: "sentiment" | "topic" | null;
  /** Which clause decides when a text has cues both ways. */
  contrast: "after" | "before" | null;
  /** A negated word flips its polarity. */
  negation: boolean;
  /** Lukewarm words (okay, fine, average) count as the neutral label. */
  mildNeutral: boolean;
  /** The label for texts without clear cues / when nothing else fits. */
  fallback: string | null;
  /** [winner, loser] pairs for texts that mention two labels. */
  priority: [string, string][];
  /** Texts that mention several labels go to the most urgent one (by the model's common sense). */
  urgency: boolean;
  isoDates: boolean;
  /** Numeric dates with dots are day.month.year. */
  dayFirstDots: boolean;
  numericAmounts: boolean;
  currencyCodes: boolean;
  nullMissing: boolean;
  stripTitles: boolean;
  stripQuantity: boolean;
  /** The total is the amount labelled total / the final amount, not the first one. */
  totalRule: boolean;
  /** The date is the order (or invoice) date, not another date the text mentions. */
  orderDate: boolean;
}

const LABEL_HEADERS =
  /^(?:labels?|label set|label definitions|categories|classes|intents|options|answer options|allowed labels|valid labels|possible labels)$/;
const FIELD_HEADERS =
  /^(?:fields|keys|properties|schema|field rules|fields and rules|json keys|output fields)$/;
const RULE_HEADERS =
  /^(?:rules|guidelines|edge cases|notes|instructions|tie-breaking|tie-breaking rules|priority)$/;

const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+(.*)$/;
const DEFINITION = /^[`"'*]*([A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,2})[`"'*]*\s*(?::|—|–| - )\s*(.*)$/;
const IDENTIFIER = /^[a-z][a-z0-9_-]*$/;

const LABEL_LIST_TRIGGERS = [
  /\b(?:classify|categori[sz]e|label|tag|rate|mark)\b[^.:\n]*?\bas\b[ \t]*:?[ \t]*([^.\n]+)/gi,
  /\b(?:one of|either)\b(?: the following)?(?: labels| categories| options| values| intents)?[ \t]*:?[ \t]*([^.\n]+)/gi,
  /\b(?:labels?|categories|options|intents|classes)[ \t]*(?:are)?[ \t]*:[ \t]*([^.\n]+)/gi,
];

function findInlineLabels(text: string): string[] {
  const found: string[] = [];
  for (const trigger of LABEL_LIST_TRIGGERS) {
    for (const match of text.matchAll(trigger)) {
      const items = listItems(match[1] ?? "");
      if (items.length >= 2) found.push(...items);
    }
  }
  return found;
}

const FIELD_LIST_TRIGGERS = [
  /\b(?:keys|fields|properties)\b[ \t]*(?::|are|named|called)?[ \t]*([^.\n]+)/gi,
  /\bextract\b\s+(?:the\s+)?(?:following\s+)?(?:fields\s*)?:?\s*([^.\n]+?)(?=\s+(?:from|out of|as|into|in)\b|[.\n]|$)/gi,
];

function toKey(item: string): string {
  return item.trim().toLowerCase().replace(/\s+/g, "_");
}

function findInlineFields(text: string): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(/"([A-Za-z_][\w]*)"\s*:/g)) keys.push(match[1] as string);
  for (const trigger of FIELD_LIST_TRIGGERS) {
    for (const match of text.matchAll(trigger)) {
      const items = listItems(match[1] ?? "").filter(
        (i) => !/^(?:json|object|data|information|details)$/i.test(i),
      );
      if (items.length >= 2) keys.push(...items.map(toKey));
    }
  }
  return keys;
}

/** The kind of value a JSON field holds, from its name and description. */
export function fieldKind(name: string, description: string): FieldKind {
  const n = name.toLowerCase();
  if (/date|day|when|time/.test(n)) return "date";
  if (/currency/.test(n)) return "currency";
  if (/total|amount|price|cost|sum|paid|value/.test(n)) return "amount";
  if (/e-?mail/.test(n)) return "email";
  if (/quantity|qty|count|units/.test(n)) return "quantity";
  if (/name|customer|buyer|client|person|sender|contact/.test(n)) return "person";
  if (/product|item|article|goods|sku/.test(n)) return "product";
  const d = description.toLowerCase();
  if (/\bdate\b/.test(d)) return "date";
  if (/\bcurrency\b/.test(d)) return "currency";
  if (/\b(amount|total|price)\b/.test(d)) return "amount";
  if (/\bname\b/.test(d)) return "person";
  return "text";
}

/** Cue phrases in a label's description: its content words, as stems. */
export function definitionCues(definition: string): string[][] {
  const cues: string[][] = [];
  const seen = new Set<string>();
  for (const token of tokenize(definition)) {
    if (!isContentWord(token.word) || seen.has(token.stem)) continue;
    seen.add(token.stem);
    cues.push([token.stem]);
  }
  return cues;
}

interface Sections {
  labels: Map<string, string>;
  fields: Map<string, string>;
}

function readSections(text: string, wantsJson: boolean, inlineLabels: Set<string>): Sections {
  const labels = new Map<string, string>();
  const fields = new Map<string, string>();
  let section: "labels" | "fields" | "rules" | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") {
      section = null;
      continue;
    }
    const header = /^(?:#+\s*)?([A-Za-z][A-Za-z -]{0,30}?)\s*:\s*(.*)$/.exec(line);
    const headerName = header?.[1]?.toLowerCase().trim() ?? "";
    if (header && !BULLET.test(line)) {
      if (LABEL_HEADERS.test(headerName)) {
        section = "labels";
        for (const item of listItems(header[2] ?? "")) labels.set(item, labels.get(item) ?? "");
        continue;
      }
      if (FIELD_HEADERS.test(headerName)) {
        section = "fields";
        for (const item of listItems(header[2] ?? "")) fields.set(toKey(item), fields.get(toKey(item)) ?? "");
        continue;
      }
      if (RULE_HEADERS.test(headerName)) {
        section = "rules";
        continue;
      }
    }
    const bullet = BULLET.exec(line);
    const body = bullet ? (bullet[1] ?? "") : line;
    const def = DEFINITION.exec(body);
    if (section === "rules") continue;
    if (section === "labels" && bullet) {
      if (def) labels.set(def[1] as string, def[2] ?? "");
      else if (listItems(body).length === 1) labels.set(listItems(body)[0] as string, "");
      continue;
    }
    if (section === "fields" && bullet) {
      if (def) fields.set(toKey(def[1] as string), def[2] ?? "");
      continue;
    }
    // A definition line outside a section: a key in JSON prompts, a label otherwise.
    if (bullet && def) {
      const name = def[1] as string;
      if (!IDENTIFIER.test(name) && !inlineLabels.has(name)) continue;
      if (wantsJson) fields.set(name, def[2] ?? "");
      else labels.set(name, def[2] ?? "");
    }
  }
  return { labels, fields };
}

function emptyInstructions(): Instructions {
  return {
    labels: [],
    fields: [],
    wantsJson: false,
    answerOnly: false,
    explain: false,
    subject: null,
    contrast: null,
    negation: false,
    mildNeutral: false,
    fallback: null,
    priority: [],
    urgency: false,
    isoDates: false,
    dayFirstDots: false,
    numericAmounts: false,
    currencyCodes: false,
    nullMissing: false,
    stripTitles: false,
    stripQuantity: false,
    totalRule: false,
    orderDate: false,
  };
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Reads the instruction text (system prompt plus the instruction lines of the user message). */
export function readInstructions(text: string): Instructions {
  const ins = emptyInstructions();
  ins.wantsJson = /\bjson\b/i.test(text);
  const inline = findInlineLabels(text);
  const sections = readSections(text, ins.wantsJson, new Set(inline));

  const labelDefs = new Map<string, string>();
  for (const name of inline) if (!labelDefs.has(name)) labelDefs.set(name, "");
  for (const [name, def] of sections.labels) labelDefs.set(name, def || labelDefs.get(name) || "");
  ins.labels = dedupeBy(
    [...labelDefs].map(([name, definition]) => ({ name, definition, cues: definitionCues(definition) })),
    (l) => l.name.toLowerCase(),
  );

  if (ins.wantsJson) {
    const fieldDefs = new Map<string, string>();
    for (const key of findInlineFields(text)) if (!fieldDefs.has(key)) fieldDefs.set(key, "");
    for (const [key, def] of sections.fields) fieldDefs.set(key, def || fieldDefs.get(key) || "");
    ins.fields = [...fieldDefs].map(([name, description]) => ({
      name,
      description,
      kind: fieldKind(name, description),
    }));
  }

  const lower = text.toLowerCase();
  if (/\b(?:sentiment|tone|opinion|polarity)\b/.test(lower)) ins.subject = "sentiment";
  else if (/\b(?:intent|categor\w*|route|routing|team|department|topic|classify)\b/.test(lower))
    ins.subject = "topic";

  readRules(
    text,
    ins.labels.map((l) => l.name),
    ins,
  );
  ins.priority = dedupeBy(ins.priority, (p) => p.join(">"));
  return ins;
}

const cache = new Map<string, Instructions>();

/** `readInstructions`, memoized: a run sends the same instructions thousands of times. */
export function readInstructionsCached(text: string): Instructions {
  let ins = cache.get(text);
  if (!ins) {
    if (cache.size > 500) cache.clear();
    ins = readInstructions(text);
    cache.set(text, ins);
  }
  return ins;
}
