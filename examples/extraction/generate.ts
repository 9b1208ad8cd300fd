// Generates examples/extraction/orders.jsonl: order emails, confirmations, invoices and chat messages,
// each with the JSON a careful reader would extract:
//   customer  the customer's name without titles (Mr, Ms, Dr); null when not given
//   date      the order or invoice date as YYYY-MM-DD (dotted dates are day.month.year, slashed dates
//             month/day/year); null when not given
//   total     the final amount as a number (the one labelled total when there are several); null if none
//   currency  the ISO 4217 code ($ is USD, € is EUR, £ is GBP); null when no amount is given
//   product   the product name without the quantity
// Deterministic: run `node --import tsx examples/extraction/generate.ts` and commit the output.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRandom, shuffle } from "../../lib/core/random";

const SEED = "strop-example-extraction-v1";
let random = createRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

const FIRST = [
  "Maria",
  "Tom",
  "Aisha",
  "Lukas",
  "Chen",
  "Sofia",
  "James",
  "Priya",
  "Olga",
  "Diego",
  "Hannah",
  "Kenji",
  "Fatima",
  "Peter",
  "Laura",
  "Mateo",
  "Ingrid",
  "Samuel",
  "Nora",
  "Ahmed",
];
const LAST = [
  "Keller",
  "Baker",
  "Rahman",
  "Novak",
  "Wei",
  "Rossi",
  "Walsh",
  "Patel",
  "Ivanova",
  "Fernandez",
  "Schmidt",
  "Tanaka",
  "Haddad",
  "Jensen",
  "Moreau",
  "Silva",
  "Lindqvist",
  "Okafor",
  "Brennan",
  "Costa",
];
const TITLES = ["Mr.", "Ms.", "Dr.", "Mr", "Ms", "Dr"];
const PRODUCTS = [
  "wireless mouse",
  "standing desk",
  "espresso machine",
  "noise-cancelling headphones",
  "USB-C hub",
  "ergonomic chair",
  "4K monitor",
  "mechanical keyboard",
  "yoga mat",
  "cast iron skillet",
  "hiking backpack",
  "electric kettle",
  "LED desk lamp",
  "running shoes",
  "smart thermostat",
  "laptop stand",
  "water filter",
  "webcam",
  "office chair",
  "tablet case",
];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

interface Money {
  value: number;
  code: string;
}

const CURRENCIES = [
  { code: "USD", symbol: "$", word: "dollars" },
  { code: "EUR", symbol: "€", word: "euros" },
  { code: "GBP", symbol: "£", word: "pounds" },
  { code: "CHF", symbol: null, word: "Swiss francs" },
];

function formatNumber(value: number, thousands: boolean): string {
  const fixed = value.toFixed(2);
  if (!thousands || value < 1000) return fixed;
  const [whole, cents] = fixed.split(".");
  return `${(whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

/** An amount the way people write it: symbol, code or (less often) a word. */
function writeMoney(m: Money, style: "symbol" | "code" | "word"): string {
  const currency = CURRENCIES.find((c) => c.code === m.code) ?? CURRENCIES[0];
  const number = formatNumber(m.value, chance(0.7));
  if (style === "symbol" && currency?.symbol) return `${currency.symbol}${number}`;
  if (style === "word") return `${number} ${currency?.code === "CHF" ? "CHF" : currency?.word}`;
  return chance(0.5) ? `${m.code} ${number}` : `${number} ${m.code}`;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function iso(d: DateParts): string {
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

function writeDate(d: DateParts): string {
  const month = MONTHS[d.month - 1] as string;
  const dd = String(d.day).padStart(2, "0");
  const mm = String(d.month).padStart(2, "0");
  return pick([
    iso(d),
    `${month} ${d.day}, ${d.year}`,
    `${d.day} ${month} ${d.year}`,
    `${ordinal(d.day)} of ${month} ${d.year}`,
    `${month.slice(0, 3)} ${d.day} ${d.year}`,
    `${mm}/${dd}/${d.year}`,
    `${dd}.${mm}.${d.year}`,
    `${dd}.${mm}.${d.year}`,
  ]);
}

interface Order {
  customer: { name: string; written: string } | null;
  date: DateParts | null;
  product: { name: string; written: string };
  total: Money | null;
  /** Subtotal and shipping written before the total, in some messages. */
  parts: Money[] | null;
  style: "symbol" | "code" | "word";
}

function makeOrder(): Order {
  const name = `${pick(FIRST)} ${pick(LAST)}`;
  const titled = chance(0.15);
  const customer = chance(0.85) ? { name, written: titled ? `${pick(TITLES)} ${name}` : name } : null;
  const date = chance(0.88) ? { year: pick([2023, 2024, 2025]), month: int(1, 12), day: int(1, 28) } : null;
  const productName = pick(PRODUCTS);
  const quantity = int(2, 4);
  const written = pick([
    productName,
    productName,
    productName,
    `${quantity} x ${productName}`,
    `${productName} (x${quantity})`,
  ]);
  const code = pick(["USD", "USD", "EUR", "EUR", "GBP", "CHF"]);
  const subtotal = Math.round((15 + random() * 1400) * 100) / 100;
  const shipping = pick([4.99, 7.5, 9.95, 12]);
  const hasTotal = chance(0.95);
  const split = hasTotal && chance(0.3);
  const total: Money | null = hasTotal
    ? { value: split ? Math.round((subtotal + shipping) * 100) / 100 : subtotal, code }
    : null;
  const style =
    code === "CHF" ? pick(["code", "word"] as const) : pick(["symbol", "symbol", "code", "word"] as const);
  return {
    customer,
    date,
    product: { name: productName, written },
    total,
    parts: split
      ? [
          { value: subtotal, code },
          { value: shipping, code },
        ]
      : null,
    style,
  };
}

function amountSentence(o: Order): string {
  if (!o.total) return "I haven't been charged yet.";
  const total = writeMoney(o.total, o.style);
  if (o.parts) {
    const [sub, ship] = o.parts as [Money, Money];
    return pick([
      `The ${o.product.name} was ${writeMoney(sub, o.style)} plus ${writeMoney(ship, o.style)} shipping, so ${total} in total.`,
      `Subtotal ${writeMoney(sub, o.style)}, shipping ${writeMoney(ship, o.style)}, total ${total}.`,
    ]);
  }
  return pick([
    `I paid ${total}.`,
    `The total was ${total}.`,
    `It came to ${total}.`,
    `You charged me ${total}.`,
  ]);
}

function email(o: Order): string {
  const greeting = pick(["Hi,", "Hello,", "Dear team,", "Good morning,"]);
  const when = o.date ? ` on ${writeDate(o.date)}` : "";
  const intro = o.customer && chance(0.4) ? `This is ${o.customer.written}. ` : "";
  const article = o.product.written === o.product.name ? "the " : "";
  // Some emails mention the promised delivery date before the order date.
  const delivery =
    o.date && chance(0.3)
      ? `Delivery was promised for ${writeDate(later(o.date))}, but nothing has arrived. `
      : "";
  const body = `${intro}${delivery}I ordered ${article}${o.product.written}${when}. ${amountSentence(o)} ${pick(
    [
      "Could you send me the invoice?",
      "When will it ship?",
      "Please confirm the order.",
      "Can I still change the delivery address?",
    ],
  )}`;
  const sign =
    o.customer && !intro
      ? `\n\n${pick(["Thanks,", "Best regards,", "Cheers,", "Kind regards,"])}\n${o.customer.written}`
      : "";
  return `${greeting}\n\n${body}${sign}`;
}

function confirmation(o: Order): string {
  const lines = [`Order confirmation #${int(10000, 99999)}`];
  if (o.customer) lines.push(`Customer: ${o.customer.written}`);
  if (o.date) lines.push(`Date: ${writeDate(o.date)}`);
  lines.push(`Item: ${o.product.written}`);
  if (o.parts) {
    lines.push(`Subtotal: ${writeMoney(o.parts[0] as Money, o.style)}`);
    lines.push(`Shipping: ${writeMoney(o.parts[1] as Money, o.style)}`);
  }
  if (o.total) lines.push(`Total: ${writeMoney(o.total, o.style)}`);
  return lines.join("\n");
}

function invoice(o: Order): string {
  const lines = [`INVOICE ${int(1000, 9999)}-${int(10, 99)}`];
  if (o.customer) lines.push(`Billed to: ${o.customer.written}`);
  if (o.date) lines.push(`Invoice date: ${writeDate(o.date)}`);
  lines.push(`Description: ${o.product.written}`);
  if (o.parts) {
    lines.push(`Subtotal: ${writeMoney(o.parts[0] as Money, o.style)}`);
    lines.push(`Shipping: ${writeMoney(o.parts[1] as Money, o.style)}`);
  }
  if (o.total) lines.push(`Amount due: ${writeMoney(o.total, o.style)}`);
  return lines.join("\n");
}

/** A date one to three weeks after `d` (the day stays within 1–28). */
function later(d: DateParts): DateParts {
  const day = d.day + int(7, 20);
  if (day <= 28) return { ...d, day };
  return d.month === 12
    ? { year: d.year + 1, month: 1, day: day - 28 }
    : { ...d, month: d.month + 1, day: day - 28 };
}

function chat(o: Order): string {
  const who = o.customer ? `hey, this is ${o.customer.written}. ` : "hey there. ";
  const when = o.date ? ` on ${writeDate(o.date)}` : "";
  const money = o.total ? ` for ${writeMoney(o.total, o.style)}` : "";
  const article = o.product.written === o.product.name ? "the " : "";
  if (chance(0.3)) {
    // No verb that introduces the product: harder to read, by design.
    const paid = o.total ? `, paid ${writeMoney(o.total, o.style)}` : "";
    const from = o.date ? ` from the order on ${writeDate(o.date)}` : "";
    return `${who}my ${o.product.name}${from} still hasn't shown up${paid}`;
  }
  return `${who}bought ${article}${o.product.written}${money}${when}, still waiting for the tracking number`;
}

/** Lines before the first row (the CSV header). */
const HEADER_LINES = 0;

/** The file content; the same on every call. */
export function generate(): string {
  random = createRandom(SEED);
  const rows: { id: string; text: string; expected: string }[] = [];
  const writers = [email, email, confirmation, invoice, chat];
  for (let i = 0; i < 150; i++) {
    let order = makeOrder();
    const write = pick(writers);
    // A chat line has no room for a subtotal and shipping.
    if (write === chat && order.parts) order = { ...order, parts: null };
    const expected = {
      customer: order.customer?.name ?? null,
      date: order.date ? iso(order.date) : null,
      total: order.total?.value ?? null,
      currency: order.total?.code ?? null,
      product: order.product.name,
    };
    rows.push({ id: "", text: write(order), expected: JSON.stringify(expected) });
  }

  const lines = shuffle(rows, random).map((row, i) =>
    JSON.stringify({ id: `x${String(i + 1).padStart(3, "0")}`, text: row.text, expected: row.expected }),
  );
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const content = generate();
  writeFileSync(new URL("./orders.jsonl", import.meta.url), content);
  console.log(
    `wrote ${content.trimEnd().split("\n").length - HEADER_LINES} rows to examples/extraction/orders.jsonl`,
  );
}
