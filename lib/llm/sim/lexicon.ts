// The simulator's "general world knowledge": a small lexicon, as a mid-sized model would have it.
// It knows common words, not any dataset: nothing here says which example has which answer.
import { stem, stems } from "./text";

/** Opinion words with a clear polarity. */
const POSITIVE = (
  "great excellent amazing love loved lovely fantastic perfect perfectly delicious friendly fast quick " +
  "comfortable reliable recommend recommended impressed impressive happy beautiful gorgeous superb wonderful " +
  "best good nice crisp sturdy worth tasty fresh helpful smooth bright spacious clean easy enjoyed enjoy " +
  "outstanding brilliant pleasant attentive generous solid awesome favorite favourite glad pleased excited " +
  "flawless stunning charming cozy responsive intuitive accurate efficient quiet juicy flavorful satisfied " +
  "polite fluffy elegant affordable bargain convenient durable praise"
).split(" ");

const NEGATIVE = (
  "terrible awful bad horrible poor slow broken broke rude cold bland dies died cracked disappointed " +
  "disappointing disappoints disappoint waste worst overpriced noisy dirty flimsy useless stale soggy greasy " +
  "cramped leaks leaked leaking crashes crashed crash unreliable hate hated complaint complaints burnt burned " +
  "late mushy uncomfortable dull faulty fails failed failing defective annoying frustrating lukewarm filthy " +
  "tasteless undercooked overcooked wobbly laggy buggy sticky smelly shabby mediocre regret worse unhappy " +
  "dead scratched ruined"
).split(" ");

/** Lukewarm words: weakly positive or negative unless a prompt says they are neutral. */
const MILD: [string, number][] = [
  ["okay", 0.4],
  ["ok", 0.4],
  ["fine", 0.4],
  ["decent", 0.4],
  ["acceptable", 0.4],
  ["reasonable", 0.4],
  ["average", -0.4],
  ["so-so", -0.4],
  ["nothing special", -0.4],
  ["as expected", 0.4],
  ["does the job", 0.4],
  ["middle of the road", -0.4],
  ["unremarkable", -0.4],
  ["standard", 0.4],
];

export const NEGATORS = new Set(
  (
    "not no never nothing none neither nor hardly barely without isn't wasn't aren't weren't don't doesn't didn't " +
    "can't cannot couldn't won't wouldn't shouldn't haven't hasn't hadn't ain't nobody"
  ).split(" "),
);

export const CONTRAST_MARKERS = new Set(["but", "however", "yet", "although", "though", "except", "whereas"]);

export interface PolarEntry {
  stems: string[];
  value: number;
  mild: boolean;
}

function entries(list: string[], value: number, mild: boolean): PolarEntry[] {
  return list.map((w) => ({ stems: stems(w), value, mild }));
}

/** Polar phrases, longest first so that "nothing special" wins over "nothing". */
export const POLAR_ENTRIES: PolarEntry[] = [
  ...MILD.map(([w, v]) => ({ stems: stems(w), value: v, mild: true })),
  ...entries(POSITIVE, 1, false),
  ...entries(NEGATIVE, -1, false),
].sort((a, b) => b.stems.length - a.stems.length);

/** Label names that carry a polarity. */
export function labelPolarity(label: string): 1 | -1 | 0 | null {
  const l = label.toLowerCase().replace(/[\s_-]+/g, " ");
  if (/^(positive|pos|good|favou?rable|happy|satisfied|praise|thumbs up|like)$/.test(l)) return 1;
  if (/^(negative|neg|bad|unfavou?rable|unhappy|dissatisfied|complaint|thumbs down|dislike)$/.test(l))
    return -1;
  if (/^(neutral|none|indifferent|no opinion|mixed|meh)$/.test(l)) return 0;
  return null;
}

/**
 * Related words per concept, looked up by the stems of a label's name ("refund_request" → refund).
 * Phrases are matched on stems, in order.
 */
const CONCEPTS: Record<string, string[]> = {
  bill: [
    "bill",
    "billing",
    "billed",
    "invoice",
    "charge",
    "charged",
    "payment",
    "receipt",
    "price",
    "fee",
    "vat",
    "tax",
    "paypal",
    "bank statement",
  ],
  refund: ["refund", "refunded", "money back", "reimburse", "reimbursement", "reimbursed"],
  cancel: [
    "cancel",
    "cancellation",
    "unsubscribe",
    "terminate",
    "stop my subscription",
    "renew",
    "membership",
    "contract",
  ],
  subscription: ["subscription", "renewal", "auto-renew", "membership"],
  technical: [
    "error",
    "bug",
    "crash",
    "crashes",
    "broken",
    "not working",
    "glitch",
    "freezes",
    "freeze",
    "doesn't work",
    "blank",
    "time out",
    "nothing happens",
  ],
  account: [
    "log in",
    "login",
    "sign in",
    "password",
    "locked",
    "username",
    "two-factor",
    "authenticator",
    "recovery",
  ],
  access: ["log in", "login", "sign in", "password", "locked", "access", "sign-on", "get in", "get into"],
  shipping: [
    "shipping",
    "shipped",
    "delivery",
    "delivered",
    "package",
    "tracking",
    "arrive",
    "arrived",
    "parcel",
    "courier",
    "carrier",
    "dispatched",
    "transit",
  ],
  delivery: [
    "shipping",
    "shipped",
    "delivery",
    "delivered",
    "package",
    "tracking",
    "arrive",
    "arrived",
    "parcel",
  ],
  plan: ["upgrade", "downgrade", "plan", "tier", "seats", "switch", "licence", "license"],
  feature: [
    "feature",
    "suggestion",
    "would be nice",
    "would be great",
    "wish",
    "please add",
    "idea",
    "would love",
    "any chance",
  ],
  feedback: [
    "feedback",
    "love",
    "great job",
    "great work",
    "well done",
    "compliment",
    "kudos",
    "impressed",
    "helpful",
  ],
  login: ["log in", "login", "sign in", "password", "locked"],
  payment: ["payment", "charge", "charged", "card", "invoice"],
  return: ["return", "send back", "exchange"],
  complaint: ["complaint", "unhappy", "disappointed", "terrible"],
  bug: ["bug", "error", "crash", "broken", "glitch"],
};

/** Stems of a label name that say nothing by themselves. */
const GENERIC_LABEL_PARTS = new Set([
  "request",
  "question",
  "issue",
  "status",
  "general",
  "other",
  "change",
  "misc",
]);

const conceptCache = new Map<string, string[][]>();

/** Cue phrases (as stem lists) a model would associate with a label from its name alone. */
export function conceptCues(label: string): string[][] {
  let cues = conceptCache.get(label);
  if (!cues) {
    if (conceptCache.size > 1000) conceptCache.clear();
    cues = computeConceptCues(label);
    conceptCache.set(label, cues);
  }
  return cues;
}

function computeConceptCues(label: string): string[][] {
  const parts = label
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p !== "");
  const cues: string[][] = [];
  for (const part of parts) {
    const s = stem(part);
    if (GENERIC_LABEL_PARTS.has(s) || GENERIC_LABEL_PARTS.has(part)) continue;
    cues.push([s]);
    for (const phrase of CONCEPTS[s] ?? CONCEPTS[part] ?? []) cues.push(stems(phrase));
  }
  return cues;
}

/**
 * How urgent a model finds a topic, from common sense: losing a customer or money first, then being
 * blocked, then waiting, then questions, wishes and praise. Used only when a prompt asks for "the most
 * urgent" topic; a company's own policy may differ, and then only explicit rules help.
 */
const URGENCY: Record<string, number> = {
  cancel: 9,
  subscription: 8,
  refund: 8,
  technical: 7,
  bug: 7,
  account: 6,
  access: 6,
  login: 6,
  shipping: 5,
  delivery: 5,
  return: 5,
  bill: 4,
  payment: 4,
  plan: 3,
  complaint: 3,
  feature: 2,
  feedback: 1,
};

/** A label's urgency: the most urgent concept in its name (unknown names sit in the middle). */
export function labelUrgency(label: string): number {
  let urgency = -1;
  for (const part of label.toLowerCase().split(/[^a-z0-9]+/)) {
    const value = URGENCY[stem(part)] ?? URGENCY[part];
    if (value !== undefined) urgency = Math.max(urgency, value);
  }
  return urgency < 0 ? 5 : urgency;
}

/** Labels meant for whatever fits nowhere else. */
export function isCatchAll(label: string): boolean {
  return /(?:^|[^a-z])(?:general|other|misc|miscellaneous|none|unknown)(?:[^a-z]|$)/i.test(label);
}

/** Currency symbols and words, to ISO 4217 codes. */
export const CURRENCY_CODES: Record<string, string> = {
  $: "USD",
  us$: "USD",
  usd: "USD",
  dollar: "USD",
  dollars: "USD",
  "€": "EUR",
  eur: "EUR",
  euro: "EUR",
  euros: "EUR",
  "£": "GBP",
  gbp: "GBP",
  pound: "GBP",
  pounds: "GBP",
  "¥": "JPY",
  jpy: "JPY",
  yen: "JPY",
  chf: "CHF",
  franc: "CHF",
  francs: "CHF",
  c$: "CAD",
  cad: "CAD",
};

export const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

export const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam)\.?\s+/i;
