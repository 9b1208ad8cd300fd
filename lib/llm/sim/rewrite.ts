// The optimizer's rewrite: turn findings into a complete prompt pair. The author's own lines are kept as
// they are; what the optimizer adds goes into "Labels:", "Fields:" and "Rules:" sections it regenerates
// each round from what the prompt already says plus the new findings. Variables are never touched.
import type { Finding } from "./findings";
import { labelPolarity, labelUrgency } from "./lexicon";
import { type Instructions, readInstructions } from "./prompt-reading";
import { EXPLAIN } from "./rule-reading";

export interface PromptPair {
  systemPrompt: string;
  outputPrompt: string;
}

/** Wording variant: 0 and 1 say the same things in different words (and places). */
export type Variant = 0 | 1;

const GENERATED_HEADER = /^(?:Labels|Rules|Fields):\s*$/;
const VARIABLE = /\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/;

/** The author's part of the system prompt (before the first generated section) and the rest. */
function splitSystem(system: string): { head: string; generated: string } {
  const lines = system.split("\n");
  const at = lines.findIndex((l) => GENERATED_HEADER.test(l.trim()));
  if (at < 0) return { head: system.trim(), generated: "" };
  return { head: lines.slice(0, at).join("\n").trim(), generated: lines.slice(at).join("\n") };
}

/** The output prompt without its variable lines: the instructions it carries. */
export function outputInstructions(outputPrompt: string): string {
  return outputPrompt
    .split("\n")
    .filter((l) => !VARIABLE.test(l))
    .join("\n");
}

export function readPromptPair(pair: PromptPair): Instructions {
  return readInstructions(`${pair.systemPrompt}\n${outputInstructions(pair.outputPrompt)}`);
}

function pick(variant: Variant, options: [string, string]): string {
  return options[variant];
}

function join(...parts: string[]): string {
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .join("\n\n");
}

function section(header: string, lines: string[]): string {
  return lines.length === 0 ? "" : `${header}:\n${lines.map((l) => `- ${l}`).join("\n")}`;
}

/** Without the lines that ask for explanations (they defeat "answer with only …"). */
function withoutExplain(text: string): string {
  return text
    .split("\n")
    .filter((l) => VARIABLE.test(l) || !EXPLAIN.test(l.toLowerCase()))
    .join("\n");
}

function dropExplain(pair: PromptPair): PromptPair {
  return { systemPrompt: withoutExplain(pair.systemPrompt), outputPrompt: withoutExplain(pair.outputPrompt) };
}

function appendFormat(current: PromptPair, system: string, line: string, variant: Variant): PromptPair {
  if (variant === 1) return { systemPrompt: join(system, line), outputPrompt: current.outputPrompt };
  return { systemPrompt: system, outputPrompt: join(current.outputPrompt, line) };
}

function addWords(definition: string, words: string[]): string {
  const present = new Set(definition.toLowerCase().split(/[^\p{L}'-]+/u));
  const fresh = words.filter((w) => !present.has(w.toLowerCase()));
  if (fresh.length === 0) return definition;
  if (/typical words:/i.test(definition)) return `${definition}, ${fresh.join(", ")}`;
  return definition
    ? `${definition}; typical words: ${fresh.join(", ")}`
    : `typical words: ${fresh.join(", ")}`;
}

function removeWords(definition: string, words: string[]): string {
  const drop = new Set(words.map((w) => w.toLowerCase()));
  const m = /typical words:\s*(.*)$/i.exec(definition);
  if (!m) return definition;
  const kept = (m[1] ?? "").split(/\s*,\s*/).filter((w) => w !== "" && !drop.has(w.toLowerCase()));
  const before = definition.slice(0, m.index).replace(/[;\s]+$/, "");
  if (kept.length === 0) return before;
  return before ? `${before}; typical words: ${kept.join(", ")}` : `typical words: ${kept.join(", ")}`;
}

export function rewriteClassification(
  original: PromptPair,
  findings: Finding[],
  variant: Variant,
): PromptPair {
  const current = findings.some((f) => f.kind === "format") ? dropExplain(original) : original;
  const { head } = splitSystem(current.systemPrompt);
  const full = readPromptPair(current);
  const authored = readInstructions(`${head}\n${outputInstructions(current.outputPrompt)}`);
  const labels = new Map(full.labels.map((l) => [l.name, l.definition]));
  let { contrast, negation, mildNeutral, fallback, answerOnly, urgency } = full;
  let priority = [...full.priority];
  let labelsChanged = false;
  for (const f of findings) {
    if (f.kind === "format") answerOnly = true;
    if (f.kind === "labels") for (const l of f.labels ?? []) if (!labels.has(l)) labels.set(l, "");
    if (f.kind === "labels") labelsChanged = true;
    if (f.kind === "keywords" && f.label) {
      labels.set(f.label, addWords(labels.get(f.label) ?? "", f.words ?? []));
      labelsChanged = true;
    }
    if (f.kind === "unkeyword" && f.label) {
      labels.set(f.label, removeWords(labels.get(f.label) ?? "", f.words ?? []));
      labelsChanged = true;
    }
    if (f.kind === "contrast") contrast = f.direction ?? null;
    if (f.kind === "negation") negation = true;
    if (f.kind === "mild") mildNeutral = true;
    if (f.kind === "fallback") fallback = f.label ?? null;
    if (f.kind === "urgency") urgency = true;
    if (f.kind === "priority" && f.winner && f.loser) {
      priority = priority.filter(([w, l]) => !(w === f.loser && l === f.winner));
      priority.push([f.winner, f.loser]);
    }
  }
  const names = [...labels.keys()];
  const pos = names.find((n) => labelPolarity(n) === 1) ?? "positive";
  const neg = names.find((n) => labelPolarity(n) === -1) ?? "negative";
  const neutral = names.find((n) => labelPolarity(n) === 0) ?? fallback ?? "neutral";

  const rules: string[] = [];
  if (contrast && authored.contrast !== contrast) {
    const where = contrast === "after" ? "after" : "before";
    rules.push(
      contrast === "after"
        ? pick(variant, [
            `When a text has both positive and negative cues, the clause ${where} "but", "however" or "yet" decides the label.`,
            "For mixed texts, only the part after the contrast word (but, however, yet) counts.",
          ])
        : pick(variant, [
            `When a text has both positive and negative cues, the clause ${where} "but", "however" or "yet" decides the label.`,
            "For mixed texts, the first clause decides.",
          ]),
    );
  }
  if (negation && !authored.negation)
    rules.push(
      pick(variant, [
        `A negated opinion word flips its polarity ("not bad" is ${pos}, "not worth it" is ${neg}).`,
        "Negations (not, never, no, n't) reverse the meaning of the word they modify.",
      ]),
    );
  if (mildNeutral && !authored.mildNeutral)
    rules.push(
      pick(variant, [
        `Lukewarm verdicts such as okay, fine, decent, average or "nothing special" are ${neutral}.`,
        `Treat mild words (okay, so-so, average, nothing special) as ${neutral}.`,
      ]),
    );
  if (fallback && authored.fallback !== fallback)
    rules.push(
      pick(variant, [
        `If a text has no clear cues for any label, answer ${fallback}.`,
        `When nothing else fits, answer ${fallback}.`,
      ]),
    );
  if (urgency && !authored.urgency) {
    const example = findings.find((f) => f.kind === "urgency");
    rules.push(
      pick(variant, [
        `When a text mentions several topics, choose the most urgent one${example ? ` (e.g. ${example.winner} over ${example.loser})` : ""}.`,
        "If a text raises more than one issue, pick the most urgent one.",
      ]),
    );
  }
  const stated = new Set(authored.priority.map((p) => p.join(">")));
  for (const [w, l] of priority) {
    if (stated.has(`${w}>${l}`)) continue;
    // Pairs the urgency rule already settles need no rule of their own.
    if (urgency && labelUrgency(w) > labelUrgency(l)) continue;
    rules.push(
      pick(variant, [
        `If a text mentions both ${w} and ${l}, choose ${w}.`,
        `${w} takes priority over ${l}.`,
      ]),
    );
  }

  const anyDefinition = [...labels.values()].some((d) => d !== "");
  const labelLines =
    labelsChanged || anyDefinition || authored.labels.length === 0
      ? [...labels].map(([name, def]) => (def ? `${name}: ${def}` : name))
      : [];
  const system = join(head, section("Labels", labelLines), section("Rules", rules));
  if (answerOnly && !authored.answerOnly) {
    const line = pick(variant, [
      "Answer with only the label, exactly as written in the list, and nothing else.",
      "Reply with just one label from the list, with no explanation.",
    ]);
    return appendFormat(current, system, line, variant);
  }
  return { systemPrompt: system, outputPrompt: current.outputPrompt };
}

const GLOSS: Record<string, string> = {
  person: "the customer's full name",
  date: "the order date",
  amount: "the total amount",
  currency: "the currency",
  product: "the product ordered",
  email: "the email address",
  quantity: "the number of units",
};

const FIELD_CLAUSES: Partial<Record<Finding["kind"], { flag: keyof Instructions; text: string }>> = {
  titles: { flag: "stripTitles", text: "without titles such as Mr, Ms or Dr" },
  "iso-date": { flag: "isoDates", text: "written as YYYY-MM-DD" },
  "day-first": {
    flag: "dayFirstDots",
    text: "dates written with dots are day.month.year (05.03.2024 is 2024-03-05)",
  },
  total: {
    flag: "totalRule",
    text: "the final total (the amount labelled total, not the subtotal or shipping)",
  },
  "numeric-amount": {
    flag: "numericAmounts",
    text: "as a plain number without currency symbols or thousands separators",
  },
  "currency-code": {
    flag: "currencyCodes",
    text: "the three-letter ISO 4217 code ($ is USD, € is EUR, £ is GBP)",
  },
  quantity: { flag: "stripQuantity", text: "the product name only, without the quantity" },
};

export function rewriteExtraction(original: PromptPair, findings: Finding[], variant: Variant): PromptPair {
  const current = findings.some((f) => f.kind === "json-only") ? dropExplain(original) : original;
  const { head } = splitSystem(current.systemPrompt);
  const full = readPromptPair(current);
  const authored = readInstructions(`${head}\n${outputInstructions(current.outputPrompt)}`);
  const fields = new Map(
    full.fields.map((f) => [f.name, { kind: f.kind as string, description: f.description }]),
  );
  for (const f of findings)
    for (const key of f.keys ?? []) if (!fields.has(key)) fields.set(key, { kind: "text", description: "" });
  let { nullMissing, answerOnly } = full;
  const flagged = new Set<string>();
  for (const f of findings) {
    if (f.kind === "null") nullMissing = true;
    if (f.kind === "json-only" || f.kind === "keys") answerOnly = true;
    const clause = FIELD_CLAUSES[f.kind];
    const field = f.field ? fields.get(f.field) : undefined;
    if (!clause || !field || full[clause.flag] || flagged.has(`${f.kind}:${f.field}`)) continue;
    flagged.add(`${f.kind}:${f.field}`);
    const base = field.description || GLOSS[field.kind] || `the ${f.field}`;
    field.description = `${base}; ${clause.text}`;
  }
  const fieldLines = [...fields].map(
    ([name, f]) => `${name}: ${f.description || GLOSS[f.kind] || `the ${name}`}`,
  );
  const rules = nullMissing && !authored.nullMissing ? ["Use null for any field that is not mentioned."] : [];
  const system = join(head, section("Fields", fieldLines), section("Rules", rules));
  if (answerOnly && !authored.answerOnly) {
    const keys = [...fields.keys()];
    const line = pick(variant, [
      `Answer with only the JSON object, using exactly these keys: ${keys.map((k) => `"${k}"`).join(", ")}.`,
      `Return just the JSON object (keys: ${keys.join(", ")}), no other text.`,
    ]);
    return appendFormat(current, system, line, variant);
  }
  return { systemPrompt: system, outputPrompt: current.outputPrompt };
}
