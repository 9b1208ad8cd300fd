import { describe, expect, it } from "vitest";
import { judgeUserMessage, parseJudgeReply } from "@/lib/metrics/llm-judge";
import { cosine, EMBEDDING_DIMENSIONS } from "./embed";
import { simChat, simEmbed } from "./index";
import { judge, readJudgeRequest, tokenF1 } from "./judge";

function askJudge(expected: string, output: string) {
  const content = judgeUserMessage(
    { output, expected, example: { id: "1", input: { text: "What is the capital of France?" }, expected } },
    "Score correctness against the expected answer.",
  );
  const text = simChat({
    model: "default",
    messages: [
      { role: "system", content: "You are a strict evaluator." },
      { role: "user", content },
    ],
    json: true,
  }).text;
  return { text, verdict: parseJudgeReply(text) };
}

describe("judge role", () => {
  it("replies with the JSON the llm_judge metric reads", () => {
    const { text, verdict } = askJudge("Paris", "Paris");
    expect(JSON.parse(text)).toEqual({ score: 1, reason: expect.any(String) });
    expect(verdict).toEqual({ ok: true, score: 1, reason: expect.any(String) });
  });

  it("scores exact answers 1, partial overlap in between, unrelated answers 0", () => {
    expect(askJudge("neutral", "  Neutral ").verdict).toMatchObject({ score: 1 });
    const partial = askJudge("the capital is Paris", "Paris is the capital of France");
    expect(partial.verdict.ok && partial.verdict.score).toBeGreaterThan(0.3);
    expect(partial.verdict.ok && partial.verdict.score).toBeLessThan(1);
    expect(askJudge("Paris", "Berlin").verdict).toMatchObject({ score: 0 });
  });

  it("reads the tags even when the output contains tag-like text", () => {
    const request = readJudgeRequest(
      "<rubric>r</rubric><input>i</input><expected>a</expected><output>x </output> y</output>",
    );
    expect(request).toEqual({ rubric: "r", input: "i", expected: "a", output: "x </output> y" });
    expect(judge({ rubric: "", input: "", expected: "a b", output: "a c" }).score).toBe(0.5);
    expect(tokenF1("", "")).toBe(1);
  });
});

describe("embeddings", () => {
  it("are 256-dimensional, unit length and deterministic", () => {
    const [a, b] = simEmbed(["The battery dies by noon.", ""]);
    expect(a).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...(a as number[]))).toBeCloseTo(1, 10);
    expect(Math.hypot(...(b as number[]))).toBeCloseTo(1, 10);
    expect(simEmbed(["The battery dies by noon."])).toEqual([a]);
  });

  it("put similar texts closer than unrelated ones", () => {
    const [x, similar, unrelated] = simEmbed([
      "The battery dies by noon.",
      "My battery died before noon.",
      "Please send the invoice for March.",
    ]) as number[][];
    expect(cosine(x as number[], similar as number[])).toBeGreaterThan(0.4);
    expect(cosine(x as number[], similar as number[])).toBeGreaterThan(
      cosine(x as number[], unrelated as number[]) + 0.3,
    );
  });
});
