// Extraction: fill the JSON fields the prompt names from the input text. Conventions (ISO dates, numeric
// amounts, currency codes, null for missing values, titles and quantities) apply only when the prompt
// states them; otherwise values are copied the way they are written.
import { CURRENCY_CODES, MONTHS, TITLES } from "./lexicon";
import type { FieldSpec, Instructions } from "./prompt-reading";

export type Extracted = Record<string, string | number | null>;

/** What a model writes for a value it cannot find when nobody told it to use null. */
export const MISSING_PLACEHOLDER = "N/A";

interface DateMention {
  at: number;
  raw: string;
  year: number;
  month: number;
  day: number;
}

const MONTH_NAMES = Object.keys(MONTHS).join("|");
const DATE_PATTERNS: {
  re: RegExp;
  parse: (m: RegExpExecArray, dayFirstDots: boolean) => DateMention | null;
}[] = [
  {
    re: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g,
    parse: (m) => mention(m, Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    re: /\b(\d{1,2})([./])(\d{1,2})\2(\d{4})\b/g,
    parse: (m, dayFirstDots) => {
      const a = Number(m[1]);
      const b = Number(m[3]);
      // Read month first (US style) unless told that dotted dates are day first, or it cannot be.
      const dayFirst = (m[2] === "." && dayFirstDots) || a > 12;
      return dayFirst ? mention(m, Number(m[4]), b, a) : mention(m, Number(m[4]), a, b);
    },
  },
  {
    re: new RegExp(`\\b(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, "gi"),
    parse: (m) => mention(m, Number(m[3]), MONTHS[(m[1] as string).toLowerCase()] ?? 0, Number(m[2])),
  },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_NAMES})\\.?,?\\s+(\\d{4})\\b`, "gi"),
    parse: (m) => mention(m, Number(m[3]), MONTHS[(m[2] as string).toLowerCase()] ?? 0, Number(m[1])),
  },
];

function mention(m: RegExpExecArray, year: number, month: number, day: number): DateMention | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { at: m.index, raw: m[0], year, month, day };
}

export function findDates(text: string, dayFirstDots: boolean): DateMention[] {
  const found: DateMention[] = [];
  for (const { re, parse } of DATE_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const d = parse(m as RegExpExecArray, dayFirstDots);
      if (d && !found.some((f) => d.at >= f.at && d.at < f.at + f.raw.length)) found.push(d);
    }
  }
  return found.sort((a, b) => a.at - b.at);
}

/** The date a text gives for the order: labelled or near "ordered", not a delivery or due date. */
function orderDateOf(text: string, dates: DateMention[]): DateMention | undefined {
  const context = (d: DateMention) => text.slice(Math.max(0, d.at - 40), d.at).toLowerCase();
  const lastWord = (d: DateMention) =>
    /(order|ordered|placed|purchase|purchased|bought|invoice date|date:)[^a-z]*(?:on|from)?[^a-z]*$|(deliver\w*|arriv\w*|ship\w*|expected|due|promised for)[^a-z]*(?:on|for|by)?[^a-z]*$/.exec(
      context(d),
    );
  return dates.find((d) => lastWord(d)?.[1]) ?? dates.find((d) => !lastWord(d)?.[2]) ?? dates[0];
}

export function isoDate(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

interface MoneyMention {
  at: number;
  raw: string;
  /** The number as written ("1,249.00"). */
  number: string;
  /** The currency is a symbol written right next to the number ("$45"). */
  symbolFirst: boolean;
  value: number;
  currency: string | null;
  /** Labelled as the total ("total", "amount due", "charged"). */
  total: boolean;
  /** Labelled as a part (subtotal, shipping, tax, discount, unit price). */
  part: boolean;
}

const CURRENCY_TOKEN = "US\\$|C\\$|\\$|€|£|¥|USD|EUR|GBP|CHF|CAD|JPY";
const CURRENCY_WORD = "USD|EUR|GBP|CHF|CAD|JPY|dollars?|euros?|pounds|francs?";
const NUMBER = "\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,2})?|\\d+(?:\\.\\d{1,2})?";
const MONEY = new RegExp(
  `(?:(${CURRENCY_TOKEN})\\s?(${NUMBER}))|(?:(${NUMBER})\\s?(${CURRENCY_WORD}|€|\\$|£)(?![A-Za-z]))`,
  "gi",
);
const BARE_TOTAL = new RegExp(`\\b(?:total|amount due|grand total)\\s*:?\\s*(${NUMBER})(?![\\d%])`, "gi");

export function findMoney(text: string): MoneyMention[] {
  const found: MoneyMention[] = [];
  const context = (at: number) => text.slice(Math.max(0, at - 28), at).toLowerCase();
  const classify = (at: number, length: number) => {
    const before = context(at);
    const after = text.slice(at + length, at + length + 14).toLowerCase();
    const lastLabel =
      /(sub-?total|shipping|delivery|tax|vat|discount|each|unit price|per item|deposit)[^a-z]*$|(total|amount due|due|charged|paid|came to|comes to|grand total)[^a-z]*$/.exec(
        before,
      );
    const totalAfter = /^\s*(?:in total|total)\b/.test(after);
    return { total: Boolean(lastLabel?.[2]) || totalAfter, part: Boolean(lastLabel?.[1]) && !totalAfter };
  };
  for (const m of text.matchAll(MONEY)) {
    const number = m[2] ?? m[3] ?? "0";
    const currency = m[1] ?? m[4] ?? null;
    const symbolFirst = m[1] !== undefined && /[$€£¥]/.test(m[1]);
    found.push({
      at: m.index,
      raw: m[0],
      number,
      symbolFirst,
      value: Number(number.replace(/,/g, "")),
      currency,
      ...classify(m.index, m[0].length),
    });
  }
  for (const m of text.matchAll(BARE_TOTAL)) {
    const at = m.index + m[0].length - (m[1] as string).length;
    if (found.some((f) => at >= f.at && at < f.at + f.raw.length)) continue;
    const number = m[1] as string;
    found.push({
      at,
      raw: number,
      number,
      symbolFirst: false,
      value: Number(number.replace(/,/g, "")),
      currency: null,
      ...classify(at, number.length),
    });
  }
  return found.sort((a, b) => a.at - b.at);
}

function chooseTotal(money: MoneyMention[], rule: boolean): MoneyMention | undefined {
  if (!rule) return money[0];
  return (
    [...money].reverse().find((m) => m.total) ?? [...money].reverse().find((m) => !m.part) ?? money.at(-1)
  );
}

const NAME =
  "[A-Z][a-zà-ÿ'-]+(?:[ \\t]+(?:van|de|von|da|del|le)[ \\t]+[A-Z][a-zà-ÿ'-]+|[ \\t]+[A-Z][a-zà-ÿ'-]+){1,2}";
const TITLE = "(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\\.?[ \\t]+)?";
const NAME_PATTERNS = [
  new RegExp(
    `(?:^|\\n)\\s*(?:customer|name|client|buyer|bill to|billed to|ship to|sold to)\\s*:\\s*(${TITLE}${NAME})`,
    "i",
  ),
  new RegExp(`\\b(?:my name is|this is|i am|i'm)\\s+(${TITLE}${NAME})`, "i"),
  new RegExp(`\\b(?:from|by|for customer|placed by|ordered by|customer)\\s+(${TITLE}${NAME})`),
  new RegExp(
    `(?:regards|thanks|thank you|best|cheers|sincerely)[,!.]?\\s*\\n\\s*(?:-\\s*)?(${TITLE}${NAME})`,
    "i",
  ),
];

function findName(text: string): string | null {
  for (const re of NAME_PATTERNS) {
    const m = re.exec(text);
    if (m?.[1]) {
      const name = m[1].replace(/\s+/g, " ").trim();
      // Pronoun-led false positives ("I am Very happy") are not names.
      if (!/^(?:I|The|This|My|Our|It)\b/.test(name)) return name;
    }
  }
  return null;
}

const PRODUCT_PATTERNS = [
  /(?:^|\n)\s*(?:item|product|article|description)\s*:\s*([^\n]+?)\s*(?:\n|$)/i,
  /\b(?:ordered|bought|purchased|order(?:ed)? for|invoice for|purchase of|order of|paid for|buying)\s+(?:a |an |the |one |some )?([^,.;:\n]+?)(?=\s+(?:for|on|at|from|and|with|which|that|last|yesterday|totall?ing|costing|in total|back)\b|[,.;:\n]|$)/i,
];

function findProduct(text: string): string | null {
  for (const re of PRODUCT_PATTERNS) {
    const m = re.exec(text);
    const value = m?.[1]?.trim();
    if (value && !/^\d+(?:[.,]\d+)?$/.test(value)) return value;
  }
  return null;
}

export function stripQuantity(product: string): string {
  return product
    .replace(/^(?:qty\.?\s*)?\d+\s*(?:x|×|units? of|pcs?\.? of|pieces? of)\s*/i, "")
    .replace(/\s*\((?:x|×)\s*\d+\)\s*$/i, "")
    .replace(/\s*(?:x|×)\s*\d+\s*$/i, "")
    .trim();
}

function currencyOf(token: string | null, codes: boolean): string | null {
  if (token === null) return null;
  return codes ? (CURRENCY_CODES[token.toLowerCase()] ?? token.toUpperCase()) : token;
}

/** Extracts every field the prompt names. */
export function extractFields(text: string, fields: FieldSpec[], ins: Instructions): Extracted {
  const missing = ins.nullMissing ? null : MISSING_PLACEHOLDER;
  const money = findMoney(text);
  const total = chooseTotal(money, ins.totalRule);
  const result: Extracted = {};
  for (const field of fields) {
    let value: string | number | null = null;
    switch (field.kind) {
      case "date": {
        const dates = findDates(text, ins.dayFirstDots);
        // Untold, a model takes the first date it sees.
        const d = ins.orderDate ? orderDateOf(text, dates) : dates[0];
        value = d ? (ins.isoDates ? isoDate(d) : d.raw) : null;
        break;
      }
      case "amount":
        // Untold, a model copies the amount: with its symbol when one is attached, else the number.
        value = total
          ? ins.numericAmounts
            ? total.value
            : total.symbolFirst
              ? total.raw
              : total.number
          : null;
        break;
      case "currency": {
        const token = total?.currency ?? money.find((m) => m.currency)?.currency ?? null;
        value = currencyOf(token, ins.currencyCodes);
        break;
      }
      case "person": {
        const name = findName(text);
        value = name && ins.stripTitles ? name.replace(TITLES, "") : name;
        break;
      }
      case "product": {
        const product = findProduct(text);
        value = product && ins.stripQuantity ? stripQuantity(product) : product;
        break;
      }
      case "email":
        value = /[\w.+-]+@[\w-]+\.[\w.-]+/.exec(text)?.[0] ?? null;
        break;
      case "quantity": {
        const q = /\b(\d+)\s*(?:x|×|units?|pcs)\b|\((?:x|×)\s*(\d+)\)|\bqty\.?\s*(\d+)/i.exec(text);
        value = q ? Number(q[1] ?? q[2] ?? q[3]) : null;
        break;
      }
      default: {
        const label = field.name.replace(/_/g, " ");
        const m = new RegExp(`\\b${label}\\s*:\\s*([^\\n]+)`, "i").exec(text);
        value = m?.[1]?.trim() ?? null;
      }
    }
    result[field.name] = value ?? missing;
  }
  return result;
}
