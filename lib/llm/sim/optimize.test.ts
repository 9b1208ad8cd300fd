// The optimizer role: valid JSON for the critique-and-rewrite contract, candidates grounded in the
// failures shown, variables kept, history respected, one vague candidate for acceptance to reject.
import { describe, expect, it } from "vitest";
import type { LlmPort } from "@/lib/core/ports";
import { createRandom } from "@/lib/core/random";
import type { PromptState } from "@/lib/core/types";
import { critiqueRewrite } from "@/lib/optimizers/critique-rewrite";
import { simChat, simEmbed } from "./index";
import { readPromptPair } from "./rewrite";

interface Reply {
  candidates: { systemPrompt: string; outputPrompt: string; rationale: string }[];
}

function optimizerReply(brief: Record<string, unknown>, seed = 101): Reply {
  const text = simChat({
    model: "default",
    messages: [
      { role: "system", content: "You are an expert prompt engineer." },
      { role: "user", content: `<brief>\n${JSON.stringify(brief)}\n</brief>\nReply with JSON only.` },
    ],
    temperature: 0.7,
    seed,
    json: true,
  }).text;
  return JSON.parse(text) as Reply;
}

const sentimentCurrent = {
  systemPrompt: "You are a helpful assistant.",
  outputPrompt: "Classify the sentiment of this review as positive, negative or neutral.\n\nReview: {{text}}",
};

const failure = (text: string, expected: string, actual: string) => ({
  input: { text },
  expected,
  actual,
  error: null,
  score: 0,
  feedback: { exact_match: `expected "${expected}", got "${actual}"` },
});

const sentimentBrief = {
  k: 3,
  variables: ["text"],
  current: sentimentCurrent,
  summary: { score: 0.4, low: 0.3, high: 0.5, n: 80, failed: 0, metrics: { exact_match: 0.4 } },
  failures: [
    failure(
      "Great screen, but the battery dies by noon.",
      "negative",
      "It's hard to say for sure, but I would go with positive.",
    ),
    failure("The fries were cold, but the staff were friendly.", "positive", "negative"),
    failure("Not bad at all, I would buy it again.", "positive", "negative"),
    failure("I have no complaints about the room.", "positive", "negative"),
    failure("The food was okay.", "neutral", "Probably positive, since the reviewer sounds satisfied."),
    failure("It comes in black and silver.", "neutral", "Probably neutral, since the text states facts."),
  ],
  history: [],
};

describe("the optimizer's reply", () => {
  it("is JSON with up to k complete candidates that keep the variables", () => {
    for (const k of [1, 2, 3, 5]) {
      const reply = optimizerReply({ ...sentimentBrief, k });
      expect(reply.candidates.length).toBeGreaterThan(0);
      expect(reply.candidates.length).toBeLessThanOrEqual(k);
      for (const c of reply.candidates) {
        expect(typeof c.systemPrompt).toBe("string");
        expect(typeof c.rationale).toBe("string");
        expect(c.rationale.length).toBeGreaterThan(10);
        expect([...c.outputPrompt.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1])).toEqual(["text"]);
        expect(c.systemPrompt).not.toMatch(/\{\{/);
      }
    }
  });

  it("fixes what the failures show: format, mixed reviews, negation, lukewarm and factual texts", () => {
    const [first] = optimizerReply(sentimentBrief).candidates;
    const ins = readPromptPair(first as Reply["candidates"][number]);
    expect(ins.answerOnly).toBe(true);
    expect(ins.contrast).toBe("after");
    expect(ins.negation).toBe(true);
    expect(first?.rationale).toMatch(/Grounded in 6 failure/);
  });

  it("proposes distinct candidates, one of them vague, none from the history", () => {
    const reply = optimizerReply(sentimentBrief);
    const keys = reply.candidates.map((c) => c.systemPrompt + c.outputPrompt);
    expect(new Set(keys).size).toBe(keys.length);
    const vague = reply.candidates.filter((c) => /no specific failure pattern/.test(c.rationale));
    expect(vague).toHaveLength(1);
    expect(readPromptPair(vague[0] as Reply["candidates"][number])).toEqual(readPromptPair(sentimentCurrent));

    const history = reply.candidates.map((c, i) => ({
      iteration: 1,
      ...c,
      trainScore: 0.5 + i / 10,
      accepted: false,
    }));
    const again = optimizerReply({ ...sentimentBrief, history });
    for (const c of again.candidates) expect(keys).not.toContain(c.systemPrompt + c.outputPrompt);
  });

  it("finds label definitions and tie-breaking rules in routing failures", () => {
    const reply = optimizerReply({
      k: 3,
      variables: ["ticket"],
      current: {
        systemPrompt: "",
        outputPrompt:
          "Options: billing_question, cancel_subscription, shipping_status, general_feedback.\n\nTicket: {{ticket}}",
      },
      failures: [
        {
          input: { ticket: "Where can I find my invoice? Also, please cancel my subscription." },
          expected: "cancel_subscription",
          actual: "billing_question",
        },
        {
          input: { ticket: "Do you accept PayPal? And please cancel the subscription." },
          expected: "cancel_subscription",
          actual: "billing_question",
        },
        {
          input: { ticket: "My parcel has not moved from the depot. Also, can I get the invoice?" },
          expected: "shipping_status",
          actual: "billing_question",
        },
        {
          input: { ticket: "The consignment is stuck at customs." },
          expected: "shipping_status",
          actual: "general_feedback",
        },
      ],
      history: [],
    });
    const ins = readPromptPair(reply.candidates[0] as Reply["candidates"][number]);
    expect(
      ins.urgency || ins.priority.some(([w, l]) => w === "cancel_subscription" && l === "billing_question"),
    ).toBe(true);
    const shipping = ins.labels.find((l) => l.name === "shipping_status");
    expect(shipping?.definition).toMatch(/consignment/);
  });

  it("finds extraction conventions in field mismatches", () => {
    const reply = optimizerReply({
      k: 5,
      variables: ["text"],
      current: {
        systemPrompt: "",
        outputPrompt: "Extract the customer, date and total as JSON only.\n\n{{text}}",
      },
      failures: [
        {
          input: { text: "This is Dr. Ann Lee. I ordered on March 5, 2024 and paid $1,200.00." },
          expected: '{"customer":"Ann Lee","date":"2024-03-05","total":1200}',
          actual: '{"customer":"Dr. Ann Lee","date":"March 5, 2024","total":"$1,200.00"}',
        },
        {
          input: { text: "Order on 2024-01-09, total €15.50." },
          expected: '{"customer":null,"date":"2024-01-09","total":15.5}',
          actual: '{"customer":"N/A","date":"2024-01-09","total":"€15.50"}',
        },
      ],
      history: [],
    });
    const all = reply.candidates.map((c) => readPromptPair(c));
    // One rewrite tackles the three most frequent problems; another one fixes everything found.
    expect(all[0]).toMatchObject({ isoDates: true, numericAmounts: true, stripTitles: true });
    expect(all.some((ins) => ins.isoDates && ins.numericAmounts && ins.stripTitles && ins.nullMissing)).toBe(
      true,
    );
  });

  it("drops an instruction to explain when the failures show verbose answers", () => {
    const reply = optimizerReply({
      ...sentimentBrief,
      current: { ...sentimentCurrent, systemPrompt: "Explain your answer." },
      failures: [
        failure("Terrible service.", "negative", "negative\n\nExplanation: The reviewer is unhappy."),
      ],
    });
    const ins = readPromptPair(reply.candidates[0] as Reply["candidates"][number]);
    expect(ins.explain).toBe(false);
    expect(ins.answerOnly).toBe(true);
  });

  it("answers an unusable brief with no candidates", () => {
    const text = simChat({
      model: "default",
      messages: [{ role: "user", content: "<brief>not json</brief>" }],
    }).text;
    expect(JSON.parse(text)).toEqual({ candidates: [] });
  });
});

describe("with Strop's critique-and-rewrite strategy", () => {
  const llm: LlmPort = {
    async generate(request) {
      const result = simChat({
        model: request.model,
        messages: request.messages,
        ...(request.params?.temperature !== undefined && { temperature: request.params.temperature }),
        ...(request.params?.seed !== undefined && { seed: request.params.seed }),
        ...(request.json !== undefined && { json: request.json }),
      });
      return { text: result.text, usage: result.usage, latencyMs: 0, costUsd: 0, cached: false };
    },
    async embed(_model, texts) {
      return { embeddings: simEmbed(texts), usage: { inputTokens: 0 }, costUsd: 0 };
    },
  };

  it("reads the real brief and its candidates pass the strategy's checks", async () => {
    const incumbent: PromptState = { ...sentimentCurrent, demos: [], params: {} };
    const proposal = await critiqueRewrite.propose(
      {
        iteration: 1,
        k: 3,
        incumbent,
        variables: ["text"],
        summary: {
          score: { mean: 0.4, low: 0.3, high: 0.5, n: 80 },
          metrics: { exact_match: 0.4 },
          failed: 0,
        },
        failures: sentimentBrief.failures.map((f, i) => ({
          exampleId: String(i),
          input: f.input,
          expected: f.expected,
          actual: f.actual,
          error: null,
          score: 0,
          metrics: { exact_match: { score: 0, reason: f.feedback.exact_match } },
        })),
        history: [],
        trainExamples: [],
        random: createRandom(1),
      },
      { llm, model: "sim:default" },
    );
    expect(proposal.rejected).toEqual([]);
    expect(proposal.candidates).toHaveLength(3);
    expect(readPromptPair(proposal.candidates[0]?.prompt as PromptState).contrast).toBe("after");
  });
});
