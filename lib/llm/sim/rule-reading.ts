// The rules a prompt states, sentence by sentence: output format, how to settle mixed or two-topic
// texts, negation, fallbacks, and the conventions of extracted values. Recognized by wording, so a
// paraphrase works as long as it says the same thing; vague advice matches nothing.
import { conceptCues, labelPolarity } from "./lexicon";
import type { Instructions } from "./prompt-reading";
import { listItems, sentences, stems } from "./text";

/** The label a phrase refers to: a label named in it, else the label whose name shares the most words. */
export function resolveLabel(
  phrase: string,
  labels: string[],
  prefer: "first" | "last" = "first",
): string | null {
  const lower = phrase.toLowerCase();
  let best: { label: string; at: number } | null = null;
  for (const label of labels) {
    for (const form of [label.toLowerCase(), label.toLowerCase().replace(/[_-]/g, " ")]) {
      const at = prefer === "first" ? lower.indexOf(form) : lower.lastIndexOf(form);
      if (at < 0) continue;
      if (!best || (prefer === "first" ? at < best.at : at > best.at)) best = { label, at };
    }
  }
  if (best) return best.label;
  const phraseStems = new Set(stems(phrase));
  let top: { label: string; score: number } | null = null;
  let tie = false;
  for (const label of labels) {
    let score = 0;
    for (const cue of conceptCues(label)) if (cue.length === 1 && phraseStems.has(cue[0] as string)) score++;
    if (score === 0) continue;
    if (!top || score > top.score) {
      top = { label, score };
      tie = false;
    } else if (score === top.score) tie = true;
  }
  return top && !tie ? top.label : null;
}

function readPriority(sentence: string, labels: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  const add = (a: string | null, b: string | null) => {
    if (a && b && a !== b) pairs.push([a, b]);
  };
  const over = /(.+?)\s+(?:takes?|has|have|gets?|wins?|get)\s+(?:priority|precedence)\s+over\s+(.+)/.exec(
    sentence,
  );
  if (over) add(resolveLabel(over[1] ?? "", labels, "last"), resolveLabel(over[2] ?? "", labels));
  const prefer = /\b(?:prefer|choose|pick)\s+(.+?)\s+over\s+(.+)/.exec(sentence);
  if (prefer) add(resolveLabel(prefer[1] ?? "", labels, "last"), resolveLabel(prefer[2] ?? "", labels));
  const both =
    /\bboth\s+(.+?)\s+and\s+(.+?)\s*[,;:]\s*(?:then\s+)?(?:always\s+)?(?:choose|answer|use|pick|prefer|label it(?: as)?|route (?:it )?to|it is|the label is)\s+(.+)/.exec(
      sentence,
    );
  if (both) {
    const a = resolveLabel(both[1] ?? "", labels);
    const b = resolveLabel(both[2] ?? "", labels);
    const winner = resolveLabel(both[3] ?? "", labels);
    if (winner && winner === a) add(a, b);
    else if (winner && winner === b) add(b, a);
  }
  const order = /\b(?:priority|precedence|in this order|highest first)\b[^:]*:\s*(.+)/.exec(sentence);
  if (order) {
    const chain = listItems(order[1] ?? "")
      .map((item) => resolveLabel(item, labels))
      .filter((l): l is string => l !== null);
    for (let i = 0; i < chain.length; i++)
      for (let j = i + 1; j < chain.length; j++) add(chain[i] as string, chain[j] as string);
  }
  return pairs;
}

const ANSWER_ONLY = [
  /\b(?:answer|respond|reply|output|return|write|give|print)\b[^.\n]{0,40}\b(?:only|just|solely)\b/,
  /\b(?:only|just)\s+(?:the\s+|a\s+|one\s+|with\s+)?(?:label|json|word|category|intent|class|name|answer|object|valid json)\b/,
  /\bnothing else\b|\bno (?:other|extra|additional) (?:text|words|commentary|explanation|prose)|\bwithout (?:any )?(?:explanation|commentary|extra text|preamble|prose)|\bsingle (?:word|label)\b|\bone word\b|\bexactly one label\b|\bdo not explain\b|\bdon't explain\b/,
];
export const EXPLAIN =
  /(?<!(?:not|n't|never|no need to)\s)\b(?:explain|justify)\b|\bfull sentences?\b|\bgive (?:your |a )?reason|\bshow your reasoning\b|\bwith a (?:short |brief )?explanation\b/;

function hasLabelWord(sentence: string, label: string): boolean {
  return new RegExp(
    `(?:^|[^\\w])${label.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:[^\\w]|$)`,
  ).test(sentence);
}

export function readRules(text: string, labels: string[], ins: Instructions): void {
  for (const raw of sentences(text)) {
    const s = raw.toLowerCase().replace(/[’‘]/g, "'").replace(/[“”]/g, '"');
    if (ANSWER_ONLY.some((re) => re.test(s))) ins.answerOnly = true;
    if (EXPLAIN.test(s)) ins.explain = true;

    const mentionsContrast =
      /\b(?:but|however|yet|although|contrast|both positive and negative|mixed)\b/.test(s);
    if (mentionsContrast || /\b(?:clause|part|half)\b/.test(s)) {
      if (
        /\b(?:after|following)\s+(?:the\s+)?(?:word\s+)?["']?(?:but|however|yet|contrast)/.test(s) ||
        /\b(?:last|second|final|latter|later)\s+(?:clause|part|half|sentence|cue|one)\b/.test(s)
      )
        ins.contrast = "after";
      else if (
        /\b(?:before|preceding)\s+(?:the\s+)?(?:word\s+)?["']?(?:but|however|yet|contrast)/.test(s) ||
        /\b(?:first|former|earlier|opening)\s+(?:clause|part|half|sentence|cue|one)\b/.test(s)
      )
        ins.contrast = "before";
    }
    if (
      /\b(?:negat\w*|not|never|no)\b|n't/.test(s) &&
      /\b(?:flips?|reverses?|inverts?|opposite|turns?)\b/.test(s)
    )
      ins.negation = true;
    if (/\bignore\b[^.]*\bnegat/.test(s)) ins.negation = false;

    const neutralLabel = labels.find((l) => labelPolarity(l) === 0 && hasLabelWord(s, l));
    if (neutralLabel && /\b(?:lukewarm|mild|okay|so-so|nothing special|average)\b/.test(s))
      ins.mildNeutral = true;
    if (
      /\b(?:no clear|no (?:strong )?(?:opinion|sentiment|emotion|cue|cues|signal)|purely factual|factual|otherwise|nothing else fits|none of the|(?:doesn't|does not) fit|unclear|no other label)\b/.test(
        s,
      )
    ) {
      const named = labels.filter((l) => hasLabelWord(s, l));
      if (named.length === 1) ins.fallback = named[0] as string;
    }
    ins.priority.push(...readPriority(s, labels));
    if (
      /\b(?:most urgent|most important|most serious|most pressing|needs? action first|main issue)\b/.test(s)
    )
      ins.urgency = true;

    if (/yyyy-mm-dd|iso[ -]?8601|iso (?:format|date)/.test(s)) ins.isoDates = true;
    if (
      /\bdates?\b|dd\.mm/.test(s) &&
      /\b(?:dots?|dotted|day\.month|day first|day-first|european)\b|dd\.mm/.test(s)
    )
      ins.dayFirstDots = true;
    if (
      /\b(?:amounts?|totals?|prices?|sums?)\b/.test(s) &&
      /\b(?:numbers?|numeric|digits|without (?:the |any )?currency|no currency (?:symbol|sign))\b/.test(s)
    )
      ins.numericAmounts = true;
    if (/iso[ -]?4217|three-letter|3-letter|currency code/.test(s)) ins.currencyCodes = true;
    if (
      /\bnull\b/.test(s) &&
      /\b(?:missing|absent|not mentioned|not given|unknown|not stated|not present|no value)\b/.test(s)
    )
      ins.nullMissing = true;
    if (
      /\b(?:without|no|omit|drop|strip|remove|exclude)\b[^.]{0,40}\b(?:titles?|honorifics?|mr|ms|dr)\b/.test(
        s,
      )
    )
      ins.stripTitles = true;
    if (
      /\b(?:without|no|omit|drop|strip|remove|exclude)\b[^.]{0,40}\b(?:quantit\w*|count|multiplier)/.test(s)
    )
      ins.stripQuantity = true;
    if (
      /\btotal\b[^.]*\b(?:final|grand|last|labell?ed|including shipping|after shipping|amount due)\b/.test(
        s,
      ) ||
      /\bnot the (?:subtotal|item price|unit price|first amount)/.test(s)
    )
      ins.totalRule = true;
    if (/\border date\b|date the order was placed|not (?:a|the) delivery date|date of the order/.test(s))
      ins.orderDate = true;
  }
}
