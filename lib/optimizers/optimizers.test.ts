import { describe, expect, it } from "vitest";
import type { OptimizerInput } from "@/lib/core/optimizer";
import type { LlmPort } from "@/lib/core/ports";
import { LlmError } from "@/lib/core/ports";
import { createRandom } from "@/lib/core/random";
import { renderBrief } from "./critique-rewrite";
import { getOptimizer, optimizers } from "./registry";

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
      requests.push(request);
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
  const strategy = getOptimizer("critique-rewrite");

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

  it("records a failing optimizer model instead of crashing, and stops on non-retryable errors", async () => {
    const proposal = await strategy.propose(input, {
      llm: scripted([new LlmError("401 invalid key", false, 401)]),
      model: "m",
    });
    expect(proposal.rejected).toEqual([{ reason: "optimizer call failed: 401 invalid key", raw: "" }]);
  });
});

describe("few-shot", () => {
  it("proposes K demo sets drawn from training data, favouring the failing classes", async () => {
    const proposal = await getOptimizer("few-shot").propose(input, { llm: scripted([]), model: "m" });
    expect(proposal.candidates).toHaveLength(2);
    for (const c of proposal.candidates) {
      expect(c.prompt.demos).toHaveLength(4);
      expect(c.prompt.demos.filter((d) => d.output === "neutral").length).toBeGreaterThanOrEqual(3);
      expect(c.prompt.systemPrompt).toBe("Classify.");
    }
  });
});

describe("registry", () => {
  it("lists every strategy and names the known ones for an unknown name", () => {
    expect(Object.keys(optimizers)).toEqual(["critique-rewrite", "few-shot"]);
    expect(() => getOptimizer("evolution")).toThrow(
      'unknown optimizer strategy "evolution" (known: critique-rewrite, few-shot)',
    );
  });
});
