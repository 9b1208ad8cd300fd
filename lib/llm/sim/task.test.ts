// The task role: it learns a task only from the prompt, and each kind of instruction fixes its own
// class of errors (measured on the bundled datasets), while vague instructions change nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { loadExampleTask } from "./example-tasks";
import { evaluatePrompt, type HarnessExample, scoreOutput } from "./harness";
import { simChat } from "./index";
import type { PromptPair } from "./rewrite";

const ask = (system: string, user: string, extra: { seed?: number; temperature?: number } = {}) =>
  simChat({
    model: "default",
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
    ...extra,
  }).text;

const SENTIMENT = "Classify the sentiment of this review as positive, negative or neutral.\n\nReview: ";

describe("output format", () => {
  it("answers hard cases in a sentence unless told to answer with the label only", () => {
    const review = "Great screen, but the battery dies by noon.";
    expect(ask("", SENTIMENT + review)).not.toMatch(/^(positive|negative|neutral)$/);
    expect(ask("Answer with only the label.", SENTIMENT + review)).toMatch(/^(positive|negative|neutral)$/);
  });

  it("invents its own wording when the prompt lists no labels", () => {
    expect(
      ask("You are a helpful assistant.", "What is the sentiment of this review?\n\nI love it, works great."),
    ).toBe("The sentiment of this review is positive.");
  });

  it("gets worse when asked to explain", () => {
    const out = ask("Answer with only the label. Explain your answer.", `${SENTIMENT}Terrible service.`);
    expect(out).toMatch(/^negative\n\nExplanation: /);
  });

  it("wraps JSON in prose unless told to answer with the JSON only, and obeys JSON mode", () => {
    const user =
      "Extract the customer and total from this message as JSON.\n\nMessage:\nThis is Ann Lee. I paid $12.";
    expect(ask("", user)).toMatch(/^Here is the extracted information:\n\n```json\n\{/);
    expect(ask("Reply with the JSON object only.", user)).toBe('{"customer":"Ann Lee","total":"$12"}');
    const json = simChat({ model: "default", messages: [{ role: "user", content: user }], json: true }).text;
    expect(JSON.parse(json)).toEqual({ customer: "Ann Lee", total: "$12" });
  });
});

describe("labels and definitions", () => {
  it("answers with the labels the prompt lists, as written", () => {
    const system = "Route the ticket. Options: Billing, Shipping. Answer with only the label.";
    expect(ask(system, "Ticket: Where is my package?")).toBe("Shipping");
    expect(ask(system, "Ticket: Please send me the invoice.")).toBe("Billing");
  });

  it("uses the definitions the prompt gives, and they transfer to texts sharing their words", () => {
    const bare = "Answer with only the label.\nLabels: plants, animals";
    const defined = `${bare}\n\nLabels:\n- plants: fern, cactus, orchid, moss\n- animals: dog, cat, parrot, hamster`;
    const texts = ["My cactus is drooping.", "The parrot keeps shouting.", "Moss grows on the roof."];
    const expected = ["plants", "animals", "plants"];
    const score = (system: string) =>
      texts.filter((t, i) => ask(system, `Text: ${t}`) === expected[i]).length;
    expect(score(defined)).toBe(3);
    expect(score(bare)).toBeLessThan(3);
  });
});

describe("few-shot demos", () => {
  it("reveal the label set and the format", () => {
    const messages = [
      { role: "user" as const, content: "Review: Absolutely love it." },
      { role: "assistant" as const, content: "pos" },
      { role: "user" as const, content: "Review: Broke after a day." },
      { role: "assistant" as const, content: "neg" },
      { role: "user" as const, content: "Review: Great screen, but the battery dies by noon." },
    ];
    const out = simChat({ model: "default", messages }).text;
    expect(["pos", "neg"]).toContain(out);
  });
});

describe("noise and determinism", () => {
  let examples: HarnessExample[];
  const best: PromptPair = {
    systemPrompt:
      'Answer with only the label.\nRules:\n- The clause after "but" decides.\n- A negated word flips its polarity.\n- Lukewarm words such as okay are neutral.',
    outputPrompt: `${SENTIMENT}{{text}}`,
  };
  beforeAll(async () => {
    examples = (await loadExampleTask("sentiment")).examples;
  });

  it("gives the same answer to the same call", () => {
    const a = evaluatePrompt(best, examples, "exact_match", { seed: 3 });
    const b = evaluatePrompt(best, examples, "exact_match", { seed: 3 });
    expect(a.outputs).toEqual(b.outputs);
  });

  it("moves a few answers with the seed, and slips more at a higher temperature", () => {
    const base = evaluatePrompt(best, examples, "exact_match", { seed: 1 }).outputs;
    const other = evaluatePrompt(best, examples, "exact_match", { seed: 2 }).outputs;
    const differ = other.filter((o, i) => o !== base[i]).length / other.length;
    expect(differ).toBeGreaterThan(0);
    expect(differ).toBeLessThan(0.15);
    const accuracy = (temperature: number) =>
      [1, 2, 3].reduce(
        (sum, seed) => sum + evaluatePrompt(best, examples, "exact_match", { seed, temperature }).mean,
        0,
      ) / 3;
    expect(accuracy(1)).toBeLessThan(accuracy(0) - 0.02);
  });

  it("slips on a few percent of answers even under the best prompt", () => {
    const accuracy = evaluatePrompt(best, examples, "exact_match").mean;
    expect(accuracy).toBeGreaterThan(0.9);
    expect(accuracy).toBeLessThan(1);
  });
});

describe("each instruction reduces its own error class (sentiment data)", () => {
  let rows: HarnessExample[];
  beforeAll(async () => {
    rows = (await loadExampleTask("sentiment")).examples;
  });
  const base = "Answer with only the label.";
  const accuracy = (system: string, subset: HarnessExample[]) =>
    evaluatePrompt({ systemPrompt: system, outputPrompt: `${SENTIMENT}{{text}}` }, subset, "exact_match")
      .mean;
  const where = (test: (e: HarnessExample) => boolean) => rows.filter(test);
  const text = (e: HarnessExample) => e.input.text ?? "";

  it("the contrast rule fixes mixed reviews; the opposite rule does not", () => {
    const mixed = where((e) => /\b(but|however|yet)\b/i.test(text(e)) && e.expected !== "neutral");
    expect(mixed.length).toBeGreaterThan(40);
    const without = accuracy(base, mixed);
    const rule = accuracy(`${base}\nThe clause after "but", "however" or "yet" decides the label.`, mixed);
    const wrong = accuracy(`${base}\nFor mixed texts, the first clause decides.`, mixed);
    expect(rule - without).toBeGreaterThan(0.4);
    expect(wrong).toBeLessThan(rule - 0.4);
  });

  it("the negation rule fixes negated opinions", () => {
    const negated = where(
      (e) =>
        /\b(not|never|no)\b|n't/i.test(text(e)) &&
        !/\b(but|however|yet)\b/i.test(text(e)) &&
        e.expected !== "neutral",
    );
    expect(negated.length).toBeGreaterThan(25);
    const without = accuracy(base, negated);
    const rule = accuracy(`${base}\nA negated word flips its polarity.`, negated);
    expect(rule - without).toBeGreaterThan(0.5);
  });

  it("the lukewarm rule fixes neutral verdicts; a wrong fallback hurts neutral facts", () => {
    const neutral = where((e) => e.expected === "neutral");
    const without = accuracy(base, neutral);
    const rule = accuracy(`${base}\nLukewarm verdicts such as okay, fine or average are neutral.`, neutral);
    const wrong = accuracy(`${base}\nIf there are no clear cues, answer positive.`, neutral);
    expect(rule - without).toBeGreaterThan(0.3);
    expect(wrong).toBeLessThan(without - 0.2);
  });

  it("the format instruction fixes hedged answers", () => {
    const neutral = where((e) => e.expected === "neutral");
    const lukewarm = "Lukewarm verdicts such as okay, fine or average are neutral.";
    expect(accuracy(`${base}\n${lukewarm}`, neutral) - accuracy(lukewarm, neutral)).toBeGreaterThan(0.5);
  });
});

describe("each instruction reduces its own error class (intent data)", () => {
  let rows: HarnessExample[];
  let start: PromptPair;
  beforeAll(async () => {
    const task = await loadExampleTask("intent");
    rows = task.examples;
    start = task.start;
  });
  const accuracy = (system: string) =>
    evaluatePrompt({ systemPrompt: system, outputPrompt: start.outputPrompt }, rows, "exact_match").mean;

  it("a tie-breaking rule helps tickets that mention two things, an explicit pair settles its own case", () => {
    const format = "Answer with only the label.";
    const urgent = `${format}\nWhen a ticket mentions several topics, choose the most urgent one.`;
    const pair = `${urgent}\nIf a ticket mentions both change_plan and billing_question, choose change_plan.`;
    expect(accuracy(urgent) - accuracy(format)).toBeGreaterThan(0.1);
    expect(accuracy(pair)).toBeGreaterThan(accuracy(urgent));
  });
});

describe("each convention fixes its own field (extraction data)", () => {
  let rows: HarnessExample[];
  let start: PromptPair;
  beforeAll(async () => {
    const task = await loadExampleTask("extraction");
    rows = task.examples;
    start = task.start;
  });
  const fieldAccuracy = (system: string, field: string) => {
    const prompt = { systemPrompt: system, outputPrompt: start.outputPrompt };
    const outputs = evaluatePrompt(prompt, rows, "json_match").outputs;
    const hits = outputs.filter((output, i) => {
      const want = JSON.parse((rows[i] as HarnessExample).expected) as Record<string, unknown>;
      return scoreOutput("json_match", output, JSON.stringify({ [field]: want[field] })) === 1;
    });
    return hits.length / rows.length;
  };
  const cases: [string, string][] = [
    ["date", "Write dates as YYYY-MM-DD."],
    [
      "total",
      "Write amounts as numbers without currency symbols; the total is the final amount labelled total.",
    ],
    ["currency", "Give the currency as the three-letter ISO 4217 code."],
    ["customer", "Names without titles such as Mr or Dr. Use null for missing fields."],
    ["product", "The product name without the quantity."],
  ];
  for (const [field, rule] of cases) {
    it(`"${rule}" improves ${field}`, () => {
      expect(fieldAccuracy(`${start.systemPrompt}\n${rule}`, field)).toBeGreaterThan(
        fieldAccuracy(start.systemPrompt, field) + 0.1,
      );
    });
  }

  it("the day-first and order-date rules fix the dates left after ISO formatting", () => {
    const iso = `${start.systemPrompt}\nWrite dates as YYYY-MM-DD.`;
    const all = `${iso}\nDates with dots are day.month.year. The date is the order date, not a delivery date.`;
    expect(fieldAccuracy(all, "date")).toBeGreaterThan(fieldAccuracy(iso, "date") + 0.1);
  });
});

describe("vague instructions change nothing", () => {
  for (const name of ["sentiment", "intent", "extraction"] as const) {
    it(`on ${name}`, async () => {
      const task = await loadExampleTask(name);
      const vague = {
        systemPrompt: `${task.start.systemPrompt}\n\nBe accurate. Think step by step.`,
        outputPrompt: task.start.outputPrompt,
      };
      const before = evaluatePrompt(task.start, task.examples, task.metric);
      const after = evaluatePrompt(vague, task.examples, task.metric);
      expect(Math.abs(after.mean - before.mean)).toBeLessThan(0.04);
    });
  }
});
