import { describe, expect, it } from "vitest";
import { readPrompt, splitUserMessage } from "./messages";
import { fieldKind, readInstructions } from "./prompt-reading";
import { resolveLabel } from "./rule-reading";
import { listItems } from "./text";

const names = (text: string) => readInstructions(text).labels.map((l) => l.name);

describe("labels", () => {
  it("reads inline lists in the usual forms", () => {
    expect(names("Classify the sentiment of this review as positive, negative or neutral.")).toEqual([
      "positive",
      "negative",
      "neutral",
    ]);
    expect(names("Labels: spam | ham")).toEqual(["spam", "ham"]);
    expect(names('Answer with one of "yes", "no".')).toEqual(["yes", "no"]);
    expect(names("Options: billing_question, refund_request, cancel_subscription.")).toEqual([
      "billing_question",
      "refund_request",
      "cancel_subscription",
    ]);
  });

  it("reads a labels section with definitions, and their cue words", () => {
    const ins = readInstructions(
      "Route the ticket.\n\nLabels:\n- refund: money back, reimbursement\n- shipping: parcel, courier\n- other\n",
    );
    expect(ins.labels.map((l) => [l.name, l.definition])).toEqual([
      ["refund", "money back, reimbursement"],
      ["shipping", "parcel, courier"],
      ["other", ""],
    ]);
    expect(ins.labels[1]?.cues).toEqual([["parcel"], ["courier"]]);
  });

  it("does not take rule bullets, option phrases or single mentions for labels", () => {
    expect(
      names("Rules:\n- Negation: a negated word flips its polarity.\nWrite dates as YYYY-MM-DD."),
    ).toEqual([]);
    expect(names("If there are no clear cues, answer neutral.")).toEqual([]);
  });

  it("splits list items and drops what is not a label", () => {
    expect(listItems("positive, negative or neutral")).toEqual(["positive", "negative", "neutral"]);
    expect(listItems('"a" / `b` | c (the default)')).toEqual(["a", "b", "c"]);
  });

  it("resolves label references by name or by meaning", () => {
    const labels = ["billing_question", "refund_request", "cancel_subscription"];
    expect(resolveLabel("a request to cancel", labels)).toBe("cancel_subscription");
    expect(resolveLabel("refund_request tickets", labels)).toBe("refund_request");
    expect(resolveLabel("a billing question", labels)).toBe("billing_question");
    expect(resolveLabel("the weather", labels)).toBeNull();
  });
});

describe("fields", () => {
  it("reads fields from an extract sentence, a JSON skeleton and a fields section", () => {
    expect(
      readInstructions("Extract the customer, date and total from this message as JSON.").fields.map(
        (f) => f.name,
      ),
    ).toEqual(["customer", "date", "total"]);
    expect(
      readInstructions('Return JSON like {"name": "...", "amount": 0}.').fields.map((f) => f.name),
    ).toEqual(["name", "amount"]);
    const ins = readInstructions(
      "Reply in JSON.\n\nFields:\n- buyer: the customer's name\n- when: the order date\n",
    );
    expect(ins.fields.map((f) => [f.name, f.kind])).toEqual([
      ["buyer", "person"],
      ["when", "date"],
    ]);
  });

  it("infers field kinds from names and descriptions", () => {
    expect(fieldKind("order_date", "")).toBe("date");
    expect(fieldKind("total", "")).toBe("amount");
    expect(fieldKind("currency", "")).toBe("currency");
    expect(fieldKind("customer", "")).toBe("person");
    expect(fieldKind("product", "")).toBe("product");
    expect(fieldKind("x", "the date of purchase")).toBe("date");
  });
});

describe("rules", () => {
  const read = (text: string) => readInstructions(`Labels: positive, negative, neutral\n${text}`);

  it("recognizes output format instructions, and not look-alikes", () => {
    expect(read("Answer with only the label.").answerOnly).toBe(true);
    expect(read("Respond with just one word.").answerOnly).toBe(true);
    expect(read("No explanation, nothing else.").answerOnly).toBe(true);
    expect(read("Use only these labels.").answerOnly).toBe(false);
    expect(read("Explain your answer.").explain).toBe(true);
    expect(read("Do not explain.").explain).toBe(false);
  });

  it("recognizes contrast, negation, lukewarm and fallback rules", () => {
    expect(read('The clause after "but" decides the label.').contrast).toBe("after");
    expect(read("For mixed texts, only the part after the contrast word counts.").contrast).toBe("after");
    expect(read("For mixed texts, the first clause decides.").contrast).toBe("before");
    expect(read("A negated word flips its polarity.").negation).toBe(true);
    expect(read("Negations reverse the meaning of the word they modify.").negation).toBe(true);
    expect(read("Lukewarm verdicts such as okay or average are neutral.").mildNeutral).toBe(true);
    expect(read("If there are no clear cues, answer neutral.").fallback).toBe("neutral");
  });

  it("recognizes priority rules in several phrasings", () => {
    const labels = "Options: billing_question, refund_request, cancel_subscription, technical_issue.\n";
    const priority = (text: string) => readInstructions(labels + text).priority;
    expect(
      priority("If a ticket mentions both billing_question and refund_request, choose refund_request."),
    ).toEqual([["refund_request", "billing_question"]]);
    expect(priority("A request to cancel takes priority over a billing question.")).toEqual([
      ["cancel_subscription", "billing_question"],
    ]);
    expect(priority("Priority order: cancel_subscription > refund_request > billing_question.")).toEqual([
      ["cancel_subscription", "refund_request"],
      ["cancel_subscription", "billing_question"],
      ["refund_request", "billing_question"],
    ]);
    expect(
      readInstructions(`${labels}When a ticket raises several issues, pick the most urgent one.`).urgency,
    ).toBe(true);
  });

  it("recognizes extraction conventions", () => {
    const ins = readInstructions(
      [
        "Return JSON with keys customer, date, total, currency, product.",
        "Write dates as YYYY-MM-DD; dates with dots are day.month.year.",
        "Amounts as numbers without currency symbols; the total is the final amount labelled total.",
        "Currency as the three-letter ISO 4217 code. Use null for missing fields.",
        "Names without titles such as Dr. Products without the quantity. The date is the order date.",
      ].join("\n"),
    );
    expect(ins).toMatchObject({
      isoDates: true,
      dayFirstDots: true,
      numericAmounts: true,
      totalRule: true,
      currencyCodes: true,
      nullMissing: true,
      stripTitles: true,
      stripQuantity: true,
      orderDate: true,
    });
  });

  it("finds nothing in vague instructions", () => {
    const base = readInstructions("Labels: positive, negative, neutral");
    const vague = readInstructions(
      "Labels: positive, negative, neutral\nBe accurate. Think step by step. Take your time.",
    );
    expect(vague).toEqual(base);
  });
});

describe("reading a chat", () => {
  it("separates instruction lines from the input", () => {
    const split = splitUserMessage(
      "Classify the sentiment of this review as positive or negative.\n\nReview: When I opened it, the text was blurry.\n\nAnswer with only the label.",
      new Set(),
      ["positive", "negative"],
    );
    expect(split.input).toBe("When I opened it, the text was blurry.");
    expect(split.instructions).toHaveLength(2);
  });

  it("keeps multi-line inputs whole and treats an answer slot as a format cue", () => {
    const view = readPrompt([
      { role: "system", content: "Label the ticket as billing or shipping." },
      { role: "user", content: "Ticket:\nHi,\n\nwhere is my parcel?\n\nThanks\n\nLabel:" },
    ]);
    expect(view.input).toBe("Hi,\n\nwhere is my parcel?\n\nThanks");
    expect(view.instructions.answerOnly).toBe(true);
  });

  it("reads demos: their template lines are instructions, their outputs show labels and format", () => {
    const template = (text: string) => `Which team handles this?\n${text}`;
    const view = readPrompt([
      { role: "system", content: "You route tickets." },
      { role: "user", content: template("Where is my parcel?") },
      { role: "assistant", content: "shipping" },
      { role: "user", content: template("I was charged twice.") },
      { role: "assistant", content: "billing" },
      { role: "user", content: template("My invoice is wrong.") },
    ]);
    expect(view.input).toBe("My invoice is wrong.");
    expect(view.demos).toEqual([
      { input: "Where is my parcel?", output: "shipping" },
      { input: "I was charged twice.", output: "billing" },
    ]);
    expect(view.instructions.labels.map((l) => l.name)).toEqual(["shipping", "billing"]);
    expect(view.instructions.answerOnly).toBe(true);
  });
});
