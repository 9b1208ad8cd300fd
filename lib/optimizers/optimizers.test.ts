import { describe, expect, it } from "vitest";
import type { Failure, OptimizerInput } from "@/lib/core/optimizer";
import type { LlmPort, LlmRequest } from "@/lib/core/ports";
import { LlmError } from "@/lib/core/ports";
import { createRandom } from "@/lib/core/random";
import { critiqueRewrite, renderBrief } from "./critique-rewrite";
import { fewShot } from "./few-shot";

const input: OptimizerInput = {
  iteration: 1,
  k: 2,
  incumbent: {
    systemPrompt: "Classify.",
    outputPrompt: "Text: {{text}}",
    demos: [],
    params: { temperature: 0 },
  },
  variables: ["text"],
  summary: { score: { mean: 0.5, low: 0.4, high: 0.6, n: 10 }, metrics: { exact_match: 0.5 }, failed: 0 },
  failures: [
    {
      exampleId: "1",
      input: { text: "meh" },
      expected: "neutral",
      actual: "positive",
      error: null,
      score: 0,
      metrics: { exact_match: { score: 0, reason: "different label" } },
    },
  ],
  history: [],
  trainExamples: Array.from({ length: 20 }, (_, i) => ({
    id: `${i}`,
    input: { text: `t${i}` },
    expected: i % 2 ? "neutral" : "positive",
  })),
  random: createRandom(1),
};

function scripted(replies: (string | Error)[]): LlmPort & { requests: unknown[] } {
  const requests: unknown[] = [];
  return {
    requests,
    async generate(request) {
      // A copy: the strategy goes on to add to the messages of a request it sent.
      requests.push(JSON.parse(JSON.stringify(request)));
      const reply = replies.shift() ?? "";
      if (reply instanceof Error) throw reply;
      return {
        text: reply,
        usage: { inputTokens: 1, outputTokens: 1 },
        latencyMs: 0,
        costUsd: 0,
        cached: false,
      };
    },
    async embed() {
      throw new Error("unused");
    },
  };
}

const good = JSON.stringify({
  candidates: [
    {
      systemPrompt: "Labels: positive, negative, neutral.",
      outputPrompt: "Text: {{text}}\nLabel:",
      rationale: "labels",
    },
    { systemPrompt: "Answer with one word.", outputPrompt: "{{text}}", rationale: "format" },
    { systemPrompt: "extra", outputPrompt: "{{text}}", rationale: "beyond k" },
  ],
});

describe("critique-rewrite", () => {
  const strategy = critiqueRewrite;

  it("sends the brief and parses K candidates, keeping the incumbent's demos and parameters", async () => {
    const llm = scripted([good]);
    const proposal = await strategy.propose(input, { llm, model: "sim:default" });
    expect(proposal.candidates).toHaveLength(2);
    expect(proposal.candidates[0]?.prompt).toEqual({
      systemPrompt: "Labels: positive, negative, neutral.",
      outputPrompt: "Text: {{text}}\nLabel:",
      demos: [],
      params: { temperature: 0 },
    });
    const brief = renderBrief(input);
    expect(brief).toContain('"expected": "neutral"');
    expect(brief).toContain('"actual": "positive"');
    expect(brief).toContain("different label");
  });

  it("retries a malformed reply with the error, then succeeds", async () => {
    const llm = scripted(["I think you should be clearer.", '{"candidates": [{"systemPrompt": 1}]}', good]);
    const proposal = await strategy.propose(input, { llm, model: "sim:default" });
    expect(proposal.candidates).toHaveLength(2);
    expect(proposal.rejected.map((r) => r.reason)).toEqual([
      "malformed optimizer output (reply: Invalid input: expected object, received undefined)",
      expect.stringContaining("candidates.0.systemPrompt"),
    ]);
    expect(llm.requests).toHaveLength(3);
  });

  it("gives up after three malformed replies without throwing", async () => {
    const proposal = await strategy.propose(input, { llm: scripted(["x", "y", "z"]), model: "m" });
    expect(proposal.candidates).toEqual([]);
    expect(proposal.rejected).toHaveLength(3);
  });

  it("asks the optimizer model for JSON at its temperature, seeded by iteration and attempt", async () => {
    const llm = scripted(["not json", good]);
    await strategy.propose({ ...input, iteration: 3 }, { llm, model: "sim:opt" });
    const [first, second] = llm.requests as LlmRequest[];
    expect(first).toMatchObject({ model: "sim:opt", json: true, params: { temperature: 0.7, seed: 301 } });
    expect(first?.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(first?.messages[0]?.content).toContain("You are an expert prompt engineer.");
    expect(first?.messages[1]?.content).toBe(renderBrief({ ...input, iteration: 3 }));
    expect(second?.params?.seed).toBe(302);
    // The retry shows the model its reply and what was wrong with it.
    expect(second?.messages.slice(2)).toEqual([
      { role: "assistant", content: "not json" },
      {
        role: "user",
        content:
          "That reply was not usable: reply: Invalid input: expected object, received undefined. Reply with the JSON object only.",
      },
    ]);
  });

  it("takes its attempts and temperature from its options", async () => {
    const once = scripted(["x", good]);
    const proposal = await strategy.propose(
      input,
      { llm: once, model: "m" },
      { attempts: 1, temperature: 0.2 },
    );
    expect(proposal.candidates).toEqual([]);
    expect(once.requests).toHaveLength(1);
    expect((once.requests[0] as LlmRequest).params?.temperature).toBe(0.2);
    const five = scripted(["a", "b", "c", "d", good]);
    expect(
      (await strategy.propose(input, { llm: five, model: "m" }, { attempts: 5, temperature: 0.7 }))
        .candidates,
    ).toHaveLength(2);
  });

  it("tries again after a retryable failed call", async () => {
    const llm = scripted([new LlmError("503 busy", true, 503), good]);
    const proposal = await strategy.propose(input, { llm, model: "m" });
    expect(proposal.rejected).toEqual([{ reason: "optimizer call failed: 503 busy", raw: "" }]);
    expect(proposal.candidates).toHaveLength(2);
  });

  it("lets an error that is not the provider's through", async () => {
    await expect(
      strategy.propose(input, { llm: scripted([new TypeError("bug")]), model: "m" }),
    ).rejects.toThrow("bug");
  });

  it("records a failing optimizer model instead of crashing, and stops on non-retryable errors", async () => {
    const proposal = await strategy.propose(input, {
      llm: scripted([new LlmError("401 invalid key", false, 401)]),
      model: "m",
    });
    expect(proposal.rejected).toEqual([{ reason: "optimizer call failed: 401 invalid key", raw: "" }]);
  });

  it("finds the JSON object in a reply that shows other JSON first, and defaults a missing rationale", async () => {
    const reply = `Here is a list [1, 2], then my answer: ${JSON.stringify({
      candidates: [{ systemPrompt: "S", outputPrompt: "{{text}}" }],
    })}`;
    const proposal = await strategy.propose(input, { llm: scripted([reply]), model: "m" });
    expect(proposal.candidates).toEqual([
      { prompt: { ...input.incumbent, systemPrompt: "S", outputPrompt: "{{text}}" }, rationale: "" },
    ]);
  });

  it("names every problem of a malformed reply", async () => {
    const bad = JSON.stringify({ candidates: [{ systemPrompt: 1, outputPrompt: "" }] });
    const proposal = await strategy.propose(
      input,
      { llm: scripted([bad]), model: "m" },
      { attempts: 1, temperature: 0 },
    );
    expect(proposal.rejected[0]?.reason).toMatch(
      /^malformed optimizer output \(candidates\.0\.systemPrompt: .+; candidates\.0\.outputPrompt: .+\)$/,
    );
    expect(proposal.rejected[0]?.raw).toBe(bad);
  });

  it("briefs the model with rounded scores, metric feedback only where given, and the history", () => {
    const text = renderBrief({
      ...input,
      summary: {
        ...input.summary,
        score: { mean: 0.12345, low: 0.1, high: 0.2, n: 10 },
        metrics: { f1: 0.33333 },
      },
      failures: [
        { ...(input.failures[0] as Failure), metrics: { a: { score: 0 }, b: { score: 0, reason: "why" } } },
      ],
      history: [
        {
          iteration: 1,
          prompt: input.incumbent,
          rationale: "r",
          trainScore: 0.66666,
          validationScore: null,
          accepted: false,
        },
        {
          iteration: 2,
          prompt: input.incumbent,
          rationale: "s",
          trainScore: 1,
          validationScore: 0.12345,
          accepted: true,
        },
      ],
    });
    const brief = JSON.parse(text.slice("<brief>\n".length, text.indexOf("\n</brief>")));
    expect(brief.summary).toMatchObject({ score: 0.123, metrics: { f1: 0.333 }, n: 10 });
    expect(brief.failures[0].feedback).toEqual({ b: "why" });
    expect(brief.history[0]).toMatchObject({ trainScore: 0.667, validationScore: null, accepted: false });
    expect(brief.history[1]).toMatchObject({
      iteration: 2,
      validationScore: 0.123,
      accepted: true,
      rationale: "s",
    });
    expect(brief.variables).toEqual(["text"]);
  });
});

describe("few-shot", () => {
  it("proposes K demo sets drawn from training data, favouring the failing classes", async () => {
    const proposal = await fewShot.propose(input, { llm: scripted([]), model: "m" });
    expect(proposal.candidates).toHaveLength(2);
    for (const c of proposal.candidates) {
      expect(c.prompt.demos).toHaveLength(4);
      expect(c.prompt.demos.filter((d) => d.output === "neutral").length).toBeGreaterThanOrEqual(3);
      expect(c.prompt.systemPrompt).toBe("Classify.");
      expect(c.prompt.params).toEqual({ temperature: 0 });
    }
    expect(proposal.candidates[0]?.rationale).toBe(
      "demo set 1: 3 example(s) of the failing outputs' classes, 1 random",
    );
    expect(proposal.candidates[0]?.prompt.demos).not.toEqual(proposal.candidates[1]?.prompt.demos);
  });

  it("takes the number of demos from its options, and fills up at random without failing classes", async () => {
    const two = await fewShot.propose(input, { llm: scripted([]), model: "m" }, { demos: 2 });
    expect(two.candidates.every((c) => c.prompt.demos.length === 2)).toBe(true);
    const none = await fewShot.propose(
      { ...input, failures: [], random: createRandom(2) },
      { llm: scripted([]), model: "m" },
    );
    expect(none.candidates[0]?.rationale).toBe(
      "demo set 1: 0 example(s) of the failing outputs' classes, 4 random",
    );
    const again = await fewShot.propose(
      { ...input, failures: [], random: createRandom(2) },
      { llm: scripted([]), model: "m" },
    );
    expect(again).toEqual(none);
  });
});
