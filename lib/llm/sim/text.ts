// Small, deterministic text helpers shared by the simulator: hashing, tokens, stems, stopwords.

/** 32-bit FNV-1a hash of a string. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Final avalanche so that nearby inputs spread over the whole range.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A number in [0, 1) determined by the parts. */
export function hash01(...parts: (string | number)[]): number {
  return fnv1a(parts.join("\u241f")) / 4294967296;
}

export interface Token {
  /** Lower-cased word ("wasn't", "2fa", "e-mail"). */
  word: string;
  stem: string;
  /** Index of the token in the text. */
  index: number;
  /** Punctuation (, . ; : ! ?) directly after the token. */
  punctAfter: boolean;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[.,;:!?]/gu;

/** Word tokens with their stems; punctuation is folded into `punctAfter` of the previous word. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.toLowerCase().replace(/’/g, "'").matchAll(TOKEN)) {
    const word = match[0];
    if (/^[.,;:!?]$/.test(word)) {
      const last = tokens[tokens.length - 1];
      if (last) last.punctAfter = true;
      continue;
    }
    tokens.push({ word, stem: stem(word), index: tokens.length, punctAfter: false });
  }
  return tokens;
}

/** Lower-cased words of a text, no punctuation. */
export function words(text: string): string[] {
  return tokenize(text).map((t) => t.word);
}

/** A light suffix-stripping stemmer: the same word family maps to the same stem on both sides. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, "");
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("es") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  if (w.length > 4 && w.at(-1) === w.at(-2) && !/[aeiouls]/.test(w.at(-1) as string)) w = w.slice(0, -1);
  return w;
}

/** Stems of a phrase, e.g. "log in" → ["log", "in"]. */
export function stems(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.stem);
}

export const STOPWORDS = new Set(
  (
    "a an the and or but if then else of to in on at by for with from into onto about as is are was were be been " +
    "being am do does did doing have has had having i me my mine we us our you your he him his she her it its they " +
    "them their this that these those there here what which who whom whose when where why how all any both each " +
    "few more most other some such no nor not only own same so than too very can will just should would could " +
    "may might must shall also again further once up down out off over under above below between through during " +
    "before after until while because since per via yet still even ever much many lot lots really quite get got " +
    "one two three four five six im ive id dont cant wont didnt doesnt isnt wasnt arent"
  ).split(" "),
);

/**
 * Words that say nothing about which class a text belongs to (greetings, time words, meta words an
 * instruction uses to talk about the text). Optimizer definitions and label cues skip them.
 */
export const GENERIC_WORDS = new Set(
  (
    "hi hello hey dear team thanks thank please regards best cheers kind help support customer customers user users " +
    "ticket tickets message messages review reviews reviewer text texts label labels answer question questions " +
    "request requests issue issues problem problems status general other thing things something anything " +
    "everything today yesterday tomorrow week weeks month months year years day days time times ago now soon " +
    "last next new old first second morning evening night hour hours minute minutes want wants wanted need needs " +
    "needed like would know let make made see look looking asks ask asked about mention mentions mentioned " +
    "says said tell told write wrote use used using go going gone come came also back just still already " +
    "order orders product products item items thing company service app website site word words such example " +
    "examples typical include includes including e.g eg etc case cases when where because someone anyone " +
    "overall clear clearly cue cues description category categories intent intents class classes top separately " +
    "morning advance honestly lately sure maybe okay fine left right nobody everybody somebody nothing keep keeps " +
    "show shows showed put take took give gave start started end ended seem seems feel feels happen happens " +
    "happened since ever never always sometimes often number way lot able unable try tried trying good work working " +
    "great nice bit much"
  ).split(" "),
);

export function isContentWord(word: string): boolean {
  return word.length >= 3 && !STOPWORDS.has(word) && !GENERIC_WORDS.has(word) && /^[\p{L}'-]+$/u.test(word);
}

/** Rough token count used for usage accounting: one token per ~4 characters. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Splits text into sentences (keeps list lines separate). */
export function sentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z"'“(-])/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Items of an inline list: "a, b or c", "a | b | c", "a / b". */
export function listItems(text: string): string[] {
  return text
    .replace(/\(.*?\)/g, "")
    .split(/\s*(?:,|\||\/|;|\bor\b|\band\b|>)\s*/)
    .map((item) =>
      item
        .trim()
        .replace(/^(?:the|either|one of)\s+/i, "")
        .replace(/^[`"'“‘*]+|[`"'”’*.:!]+$/g, "")
        .trim(),
    )
    .filter((item) => /^[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,2}$/.test(item));
}
