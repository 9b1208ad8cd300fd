// Generates examples/sentiment/reviews.csv: product, restaurant, hotel and app reviews labelled
// positive / negative / neutral by three describable rules:
//   1. Mixed reviews: the clause after "but" / "however" / "yet" decides.
//   2. A negated opinion word flips its polarity ("not bad at all" is positive, "not worth it" negative).
//   3. Purely factual statements and lukewarm verdicts (okay, fine, average, nothing special) are neutral.
// Deterministic: run `node --import tsx examples/sentiment/generate.ts` and commit the output.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRandom, shuffle } from "../../lib/core/random";

const SEED = "strop-example-sentiment-v1";
let random = createRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Domain {
  /** Aspects with clauses that praise and criticize them. */
  aspects: {
    name: string;
    good: string[];
    bad: string[];
    goodAdj: string[];
    badAdj: string[];
    plural?: boolean;
  }[];
  /** Statements of fact: no opinion at all. */
  facts: string[];
  /** Lukewarm verdicts. */
  lukewarm: string[];
  intros: string[];
}

const DOMAINS: Domain[] = [
  {
    // Electronics and gadgets.
    aspects: [
      {
        name: "the screen",
        good: ["is gorgeous", "is crisp and bright", "looks stunning"],
        bad: ["is dull", "scratched within a week", "is dull and blurry"],
        goodAdj: ["bright", "stunning", "great"],
        badAdj: ["bad", "dull", "terrible"],
      },
      {
        name: "the battery",
        good: ["is excellent", "lasts forever, which is perfect", "is reliable all day"],
        bad: ["dies by noon", "is awful", "died after a month"],
        goodAdj: ["reliable", "good", "great"],
        badAdj: ["bad", "terrible", "awful"],
      },
      {
        name: "the charger",
        good: ["is fast", "works perfectly", "is compact and quick"],
        bad: ["is painfully slow", "broke on day two", "feels flimsy"],
        goodAdj: ["fast", "sturdy", "good"],
        badAdj: ["slow", "flimsy", "bad"],
      },
      {
        name: "the sound",
        good: ["is superb", "is rich and smooth", "is brilliant for the size"],
        bad: ["is tinny and awful", "is horrible at high volume", "crackles, which is annoying"],
        goodAdj: ["great", "good", "impressive"],
        badAdj: ["bad", "awful", "horrible"],
      },
      {
        name: "the keyboard",
        good: ["feels solid", "is comfortable to type on", "is responsive"],
        bad: ["is mushy", "feels cheap and wobbly", "has sticky keys"],
        goodAdj: ["comfortable", "solid", "responsive"],
        badAdj: ["uncomfortable", "bad", "wobbly"],
      },
    ],
    facts: [
      "The box contains the device, a cable and a short manual.",
      "I bought it in March and use it mostly at home.",
      "It comes in black and silver.",
      "The cable is USB-C on both ends.",
      "I ordered the 128 GB version.",
      "It weighs about 300 grams.",
      "The package arrived on Tuesday.",
      "I use it for video calls and email.",
      "My brother has the previous model.",
      "It charges through a port on the left side.",
    ],
    lukewarm: [
      "It's okay.",
      "It does the job.",
      "Average gadget, nothing special.",
      "It's fine for the price.",
      "Pretty standard.",
      "The performance is acceptable.",
      "It works as expected.",
      "Decent, I suppose.",
      "So-so overall.",
    ],
    intros: [
      "Bought this for my daughter.",
      "Second one I own.",
      "Used it for three weeks.",
      "Got it on sale.",
      "",
    ],
  },
  {
    // Restaurants.
    aspects: [
      {
        name: "the pasta",
        good: ["was delicious", "was fresh and tasty", "was perfect"],
        bad: ["was bland", "was soggy", "was overcooked"],
        goodAdj: ["good", "tasty", "fresh"],
        badAdj: ["bad", "bland", "soggy"],
      },
      {
        name: "the staff",
        plural: true,
        good: ["were friendly", "were attentive and polite", "were wonderful"],
        bad: ["were rude", "were slow and annoying", "were rude and slow"],
        goodAdj: ["friendly", "helpful", "polite"],
        badAdj: ["rude", "slow", "bad"],
      },
      {
        name: "the fries",
        plural: true,
        good: ["were crisp", "were excellent", "were fresh and juicy"],
        bad: ["were cold", "were greasy", "were stale"],
        goodAdj: ["crisp", "fresh", "good"],
        badAdj: ["cold", "greasy", "bad"],
      },
      {
        name: "the dessert",
        good: ["was amazing", "was lovely", "was the best part"],
        bad: ["was tasteless", "was a waste of money", "was disappointing"],
        goodAdj: ["amazing", "good", "worth it"],
        badAdj: ["bad", "disappointing", "awful"],
      },
      {
        name: "the terrace",
        good: ["is charming", "is cozy and pleasant", "is beautiful at sunset"],
        bad: ["is cramped", "is noisy", "was dirty"],
        goodAdj: ["pleasant", "cozy", "nice"],
        badAdj: ["noisy", "dirty", "cramped"],
      },
    ],
    facts: [
      "We had the set menu for two.",
      "The restaurant is next to the train station.",
      "They open at six on weekdays.",
      "We booked a table for four on Friday.",
      "The menu has three vegetarian dishes.",
      "I ordered the soup and a sandwich.",
      "Parking is across the street.",
      "We went there for my mother's birthday.",
      "They take cards and cash.",
      "The lunch menu changes every week.",
    ],
    lukewarm: [
      "The food was okay.",
      "An average meal, nothing special.",
      "It was fine.",
      "Decent portions.",
      "The service was acceptable.",
      "Standard pub food.",
      "So-so, to be honest.",
      "About what we expected, nothing special.",
      "The pizza was okay, the wine was fine.",
    ],
    intros: ["Went here on a Sunday.", "Lunch with colleagues.", "Our second visit.", "Dinner for two.", ""],
  },
  {
    // Hotels.
    aspects: [
      {
        name: "the room",
        good: ["was spacious and clean", "was lovely", "was comfortable"],
        bad: ["was filthy", "was cramped", "smelled awful"],
        goodAdj: ["clean", "comfortable", "spacious"],
        badAdj: ["dirty", "cramped", "bad"],
      },
      {
        name: "the breakfast",
        good: ["was excellent", "was fresh and generous", "was delicious"],
        bad: ["was stale", "was poor", "was cold and bland"],
        goodAdj: ["good", "fresh", "generous"],
        badAdj: ["bad", "poor", "awful"],
      },
      {
        name: "the reception staff",
        plural: true,
        good: ["were helpful", "were friendly", "were outstanding"],
        bad: ["were rude", "were useless", "were unhelpful and slow"],
        goodAdj: ["helpful", "friendly", "polite"],
        badAdj: ["rude", "slow", "bad"],
      },
      {
        name: "the bed",
        good: ["was comfortable", "was perfect", "was cozy"],
        bad: ["was uncomfortable", "was lumpy and awful", "creaked, which was annoying"],
        goodAdj: ["comfortable", "good", "great"],
        badAdj: ["uncomfortable", "bad", "terrible"],
      },
    ],
    facts: [
      "We stayed three nights in October.",
      "The hotel is ten minutes from the airport.",
      "Check-in is at three in the afternoon.",
      "Our room was on the fourth floor.",
      "Breakfast is served from seven to ten.",
      "There is a bus stop in front of the entrance.",
      "We booked through the hotel website.",
      "The hotel has a gym and a small pool.",
    ],
    lukewarm: [
      "The room was okay.",
      "An average hotel.",
      "Fine for one night.",
      "The location is decent.",
      "Nothing special, it does the job.",
      "Standard business hotel.",
      "The stay was acceptable.",
    ],
    intros: ["Stayed here for a conference.", "Weekend trip.", "Family holiday.", ""],
  },
  {
    // Apps.
    aspects: [
      {
        name: "the app",
        good: ["is intuitive", "is fast and smooth", "is brilliant"],
        bad: ["crashes constantly", "is buggy", "is laggy and frustrating"],
        goodAdj: ["intuitive", "fast", "reliable"],
        badAdj: ["slow", "buggy", "bad"],
      },
      {
        name: "the new update",
        good: ["is excellent", "made everything faster, which is great", "is impressive"],
        bad: ["ruined the layout", "is awful", "broke the login"],
        goodAdj: ["good", "great", "impressive"],
        badAdj: ["bad", "terrible", "useless"],
      },
      {
        name: "customer support",
        good: ["was helpful", "was quick and friendly", "was responsive"],
        bad: ["was useless", "was slow", "was rude"],
        goodAdj: ["helpful", "responsive", "quick"],
        badAdj: ["slow", "rude", "bad"],
      },
    ],
    facts: [
      "I use the app on Android and on my laptop.",
      "The subscription renews every month.",
      "I installed version 4.2 last week.",
      "It syncs with my calendar.",
      "The app asks for location access.",
      "I signed up with my work email.",
      "There is a free plan and a paid plan.",
    ],
    lukewarm: [
      "The app is okay.",
      "It's fine.",
      "Average, nothing special.",
      "It works as expected.",
      "Decent app.",
      "So-so.",
      "Acceptable for basic use.",
    ],
    intros: ["Been using it for a year.", "Switched from a competitor.", "Downloaded it yesterday.", ""],
  },
];

type Label = "positive" | "negative" | "neutral";
interface Row {
  text: string;
  label: Label;
}

function withIntro(domain: Domain, sentence: string): string {
  const intro = chance(0.4) ? pick(domain.intros) : "";
  return [intro, sentence].filter((s) => s !== "").join(" ");
}

function clause(aspect: Domain["aspects"][number], good: boolean): string {
  return `${aspect.name} ${pick(good ? aspect.good : aspect.bad)}`;
}

function twoAspects(domain: Domain): [Domain["aspects"][number], Domain["aspects"][number]] {
  const [a, b] = shuffle(domain.aspects, random);
  return [a as Domain["aspects"][number], b as Domain["aspects"][number]];
}

function clear(domain: Domain, good: boolean): Row {
  const [a, b] = twoAspects(domain);
  const closers = good
    ? ["Would recommend.", "Really happy with it.", "Love it!", ""]
    : ["Would not buy again.", "Really disappointed.", "What a waste.", ""];
  const closer = pick(closers);
  const body = chance(0.6) ? `${cap(clause(a, good))} and ${clause(b, good)}.` : `${cap(clause(a, good))}.`;
  // "Would not buy again" has no opinion word to negate, so it does not change the label.
  return {
    text: withIntro(domain, [body, closer].filter((s) => s !== "").join(" ")),
    label: good ? "positive" : "negative",
  };
}

function mixed(domain: Domain, endsGood: boolean): Row {
  const [a, b] = twoAspects(domain);
  const first = clause(a, !endsGood);
  const second = clause(b, endsGood);
  const marker = pick(["but", "but", "but", "however", "yet"]);
  const text =
    marker === "however"
      ? `${cap(first)}. However, ${second}.`
      : marker === "yet"
        ? `${cap(first)}, yet ${second}.`
        : `${cap(first)}, but ${second}.`;
  return { text: withIntro(domain, text), label: endsGood ? "positive" : "negative" };
}

function mildThenClear(domain: Domain, good: boolean): Row {
  const [a] = twoAspects(domain);
  const mild = pick(["It was okay", "Decent enough", "The price is fine", "Average at first"]);
  return { text: `${mild}, but ${clause(a, good)}.`, label: good ? "positive" : "negative" };
}

function verbs(aspect: Domain["aspects"][number]) {
  return aspect.plural
    ? { is: "are", was: "were", wasnt: "weren't" }
    : { is: "is", was: "was", wasnt: "wasn't" };
}

function negated(domain: Domain, truthGood: boolean): Row {
  const [a] = twoAspects(domain);
  const name = cap(a.name);
  const v = verbs(a);
  const texts = truthGood
    ? [
        `${name} ${v.is} not ${pick(a.badAdj)} at all.`,
        `Honestly, ${a.name} ${v.was} never ${pick(a.badAdj)}.`,
        `I have no complaints about ${a.name}.`,
        `${name} never disappoint${a.plural ? "" : "s"}.`,
        `I wasn't disappointed by ${a.name}.`,
        `Not bad at all, ${a.name} included.`,
      ]
    : [
        `${name} ${v.is} not ${pick(a.goodAdj)}.`,
        `${name} ${v.wasnt} ${pick(a.goodAdj)} at all.`,
        `Not worth it, ${a.name} especially.`,
        `I wasn't impressed by ${a.name}.`,
        `I would not recommend it, ${a.name} least of all.`,
        `${name} ${v.is} never ${pick(a.goodAdj)}.`,
      ];
  return { text: withIntro(domain, pick(texts)), label: truthGood ? "positive" : "negative" };
}

function contrastWithNegation(domain: Domain, truthGood: boolean): Row {
  const [a, b] = twoAspects(domain);
  const first = clause(a, !truthGood);
  const v = verbs(b);
  const second = truthGood
    ? `${b.name} ${v.is} not ${pick(b.badAdj)} at all`
    : `${b.name} ${v.is} not ${pick(b.goodAdj)}`;
  return { text: `${cap(first)}, but ${second}.`, label: truthGood ? "positive" : "negative" };
}

function factual(domain: Domain): Row {
  const [x, y] = shuffle(domain.facts, random);
  return { text: chance(0.5) ? `${x} ${y}` : (x as string), label: "neutral" };
}

function lukewarm(domain: Domain): Row {
  const verdict = pick(domain.lukewarm);
  return { text: chance(0.4) ? `${pick(domain.facts)} ${verdict}` : verdict, label: "neutral" };
}

const plan: [number, (d: Domain) => Row][] = [
  [44, (d) => clear(d, true)],
  [44, (d) => clear(d, false)],
  [27, (d) => mixed(d, true)],
  [27, (d) => mixed(d, false)],
  [5, (d) => mildThenClear(d, true)],
  [5, (d) => mildThenClear(d, false)],
  [17, (d) => negated(d, true)],
  [17, (d) => negated(d, false)],
  [4, (d) => contrastWithNegation(d, true)],
  [4, (d) => contrastWithNegation(d, false)],
  [24, factual],
  [22, lukewarm],
];

/** Lines before the first row (the CSV header). */
const HEADER_LINES = 1;

/** The file content; the same on every call. */
export function generate(): string {
  random = createRandom(SEED);
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const [count, make] of plan) {
    let made = 0;
    for (let attempt = 0; made < count && attempt < count * 50; attempt++) {
      const row = make(pick(DOMAINS));
      if (seen.has(row.text)) continue;
      seen.add(row.text);
      rows.push(row);
      made++;
    }
  }

  const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ["id,text,label"];
  for (const [i, row] of shuffle(rows, random).entries()) {
    lines.push([`s${String(i + 1).padStart(3, "0")}`, row.text, row.label].map(csvField).join(","));
  }
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const content = generate();
  writeFileSync(new URL("./reviews.csv", import.meta.url), content);
  console.log(
    `wrote ${content.trimEnd().split("\n").length - HEADER_LINES} rows to examples/sentiment/reviews.csv`,
  );
}
