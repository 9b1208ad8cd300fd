// Generates examples/intent/tickets.csv: customer-support tickets routed to one of nine intents.
// Many tickets mention two things; the label then follows one fixed priority order (first = wins):
//   cancel_subscription > refund_request > technical_issue > account_access > shipping_status >
//   change_plan > billing_question > feature_request > general_feedback
// That is mostly "the most urgent topic wins", except that a plan change outranks a billing question.
// Deterministic: run `node --import tsx examples/intent/generate.ts` and commit the output.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRandom, shuffle } from "../../lib/core/random";

const SEED = "strop-example-intent-v1";
let random = createRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;

export const PRIORITY = [
  "cancel_subscription",
  "refund_request",
  "technical_issue",
  "account_access",
  "shipping_status",
  "change_plan",
  "billing_question",
  "feature_request",
  "general_feedback",
] as const;
type Intent = (typeof PRIORITY)[number];

const SLOTS: Record<string, string[]> = {
  product: [
    "wireless headphones",
    "standing desk",
    "coffee grinder",
    "smart watch",
    "desk lamp",
    "running shoes",
    "air purifier",
    "phone case",
    "backpack",
    "bluetooth speaker",
  ],
  plan: ["Pro", "Team", "Business", "Starter", "Premium", "Basic"],
  amount: ["$19.99", "$49", "€29", "$120", "£15", "€9.99", "$240", "$7.50"],
  order: ["#48213", "#51907", "#30466", "#77120", "#64388", "#90215", "#12874"],
  month: ["January", "March", "April", "June", "August", "October", "November"],
  device: ["my iPhone", "Android", "the iPad app", "Chrome", "Firefox", "my Mac", "Windows"],
  page: ["reports", "settings", "billing", "dashboard", "export", "calendar"],
  feature: [
    "dark mode",
    "a CSV export",
    "two-way calendar sync",
    "keyboard shortcuts",
    "an offline mode",
    "a Slack integration",
    "recurring tasks",
  ],
  agent: ["Maria", "Tom", "Aisha", "Lukas", "Chen", "Sofia"],
  days: ["three", "four", "five", "six", "ten"],
};

/** One-sentence statements of each intent, in the many ways customers write them. */
const STATEMENTS: Record<Intent, string[]> = {
  cancel_subscription: [
    "Please cancel my subscription effective immediately.",
    "How do I cancel before the next renewal in {month}?",
    "I want to stop my membership at the end of this month.",
    "Close my membership, we no longer need it.",
    "Please terminate our contract when the current term ends.",
    "I'd like to unsubscribe from the paid service.",
    "Don't renew us next {month}, we're moving to another tool.",
    "We are shutting down the company, so please end our membership.",
    "Cancel the {plan} subscription on my account, thanks.",
  ],
  refund_request: [
    "I'd like a refund for order {order}.",
    "Please refund the {amount} you took last week.",
    "Can I get my money back for the {product}?",
    "I returned the {product} two weeks ago and still haven't been reimbursed.",
    "The {product} stopped working after two days, I want my {amount} back.",
    "Please return the {amount} to my card.",
    "I never used the service this month and would like the {amount} reimbursed.",
    "Send the money for the {product} back to my card, please.",
    "I expect a full refund for the faulty {product}.",
  ],
  account_access: [
    "I can't log in since yesterday.",
    "The password reset email never shows up.",
    "My account is locked after too many attempts.",
    "The two-factor code is never accepted.",
    "I lost my phone with the authenticator codes and can't get in.",
    "It says my email is not recognized when I try to sign in.",
    "I forgot my username and the recovery link has expired.",
    "Our admin left the company and nobody can get into the workspace.",
    "Single sign-on keeps sending me back to the start page.",
  ],
  technical_issue: [
    "The app crashes every time I open the {page} page.",
    "I get an error 500 when exporting reports.",
    "The {page} button is not working on {device}.",
    "The dashboard is blank after the latest update.",
    "Sync between {device} and my laptop stopped.",
    "Reports load forever and then time out.",
    "The page shows a spinning wheel and nothing happens on {device}.",
    "Notifications arrive twice on {device}, looks like a bug.",
    "Uploading a photo freezes the whole screen.",
  ],
  shipping_status: [
    "Where is my package? Order {order}.",
    "Tracking for {order} hasn't updated in {days} days.",
    "When will order {order} be delivered?",
    "The courier says the parcel left the depot but nothing since.",
    "My parcel still hasn't shown up.",
    "Has order {order} been dispatched yet?",
    "The {product} was supposed to arrive on Monday.",
    "Can you tell me which carrier has my {product}?",
    "It has been {days} days and the {product} is still in transit.",
  ],
  change_plan: [
    "I'd like to upgrade to the {plan} plan.",
    "Can we downgrade to {plan} next month?",
    "How do I switch from monthly to annual?",
    "We need five more seats for our team.",
    "Please move us to the {plan} tier.",
    "We've outgrown Starter and want the bigger package.",
    "Can I go from {plan} to a cheaper option?",
    "Add three users to our workspace licence, please.",
  ],
  billing_question: [
    "Why was I charged {amount} this month?",
    "Can you send me a copy of the invoice for {month}?",
    "Where can I download my receipts?",
    "I don't understand the VAT line on the last invoice.",
    "Is the annual price billed upfront?",
    "What is the extra fee of {amount} on my statement?",
    "Which company name will appear on my bank statement?",
    "Can you put our VAT number on future invoices?",
    "Do you accept PayPal for payment?",
  ],
  feature_request: [
    "It would be great to have {feature}.",
    "Feature idea: {feature}.",
    "Please add {feature}.",
    "Will you ever support Linux?",
    "Could the mobile version get {feature}?",
    "I'd love to see {feature} in a future release.",
    "Any chance of {feature} for the web app?",
    "Suggestion: let us pin favourite projects to the top.",
  ],
  general_feedback: [
    "Just wanted to say I love the new design.",
    "Great job on the latest release!",
    "{agent} from your support team was really helpful, thanks.",
    "Keep up the good work.",
    "The new onboarding is so much clearer than before, great work.",
    "Been a customer for years and still impressed.",
    "Your newsletter this month was a fun read.",
    "Kudos to the team for the quick fixes lately.",
  ],
};

/** Pairs of intents that plausibly come up in one ticket (the higher-priority one is the label). */
const COMBINATIONS: [Intent, Intent][] = [
  ["cancel_subscription", "billing_question"],
  ["cancel_subscription", "refund_request"],
  ["refund_request", "billing_question"],
  ["refund_request", "shipping_status"],
  ["technical_issue", "account_access"],
  ["technical_issue", "feature_request"],
  ["shipping_status", "billing_question"],
  ["change_plan", "billing_question"],
  ["feature_request", "general_feedback"],
];

function fill(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => pick(SLOTS[slot] ?? [slot]));
}

const OPENERS = ["Hi,", "Hello team,", "Hey,", "Good morning,", ""];
const CLOSERS = ["Thanks.", "Thanks in advance!", "Regards, Sam", "Cheers", ""];
const JOINERS = [" ", " Also, ", " And ", " Separately, ", " On top of that, "];

function ticket(sentences: string[]): string {
  const body = sentences
    .map((s, i) => {
      if (i === 0) return s;
      const joiner = pick(JOINERS);
      return joiner === " " ? ` ${s}` : `${joiner}${s.charAt(0).toLowerCase()}${s.slice(1)}`;
    })
    .join("");
  return [chance(0.4) ? pick(OPENERS) : "", body, chance(0.3) ? pick(CLOSERS) : ""]
    .filter((p) => p !== "")
    .join(" ");
}

interface Row {
  ticket: string;
  intent: Intent;
}

/** Lines before the first row (the CSV header). */
const HEADER_LINES = 1;

/** The file content; the same on every call. */
export function generate(): string {
  random = createRandom(SEED);
  const rows: Row[] = [];
  const seen = new Set<string>();
  const push = (row: Row) => {
    if (seen.has(row.ticket)) return false;
    seen.add(row.ticket);
    rows.push(row);
    return true;
  };

  // Single-intent tickets: 17 per intent.
  for (const intent of PRIORITY) {
    const templates = STATEMENTS[intent];
    for (let made = 0, attempt = 0; made < 17 && attempt < 500; attempt++) {
      if (push({ ticket: ticket([fill(templates[(made + attempt) % templates.length] as string)]), intent }))
        made++;
    }
  }

  // Two-intent tickets: 10 per combination; the lower-priority topic comes first in most of them.
  for (const [high, low] of COMBINATIONS) {
    for (let made = 0, attempt = 0; made < 10 && attempt < 500; attempt++) {
      const a = fill(pick(STATEMENTS[high]));
      const b = fill(pick(STATEMENTS[low]));
      const sentences = chance(0.6) ? [b, a] : [a, b];
      if (push({ ticket: ticket(sentences), intent: high })) made++;
    }
  }

  const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ["id,ticket,intent"];
  for (const [i, row] of shuffle(rows, random).entries()) {
    lines.push([`t${String(i + 1).padStart(3, "0")}`, row.ticket, row.intent].map(csvField).join(","));
  }
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const content = generate();
  writeFileSync(new URL("./tickets.csv", import.meta.url), content);
  console.log(
    `wrote ${content.trimEnd().split("\n").length - HEADER_LINES} rows to examples/intent/tickets.csv`,
  );
}
