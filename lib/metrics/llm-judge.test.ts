import { describe, expect, it } from "vitest";
import { LlmError } from "@/lib/core/ports";
import { DEFAULT_JUDGE_RUBRIC, llmJudge, parseJudgeReply } from "./llm-judge";
import { FakeLlm, metricContext, metricInput } from "./testing";

const input = metricInput("Paris is the capital.", "Paris", { question: "Capital of France?" });

async function judge(llm: FakeLlm, options: unknown = {}) {
  return llmJudge.score(input, llmJudge.options.parse(options), metricContext(llm, "sim:judge"));
}

describe("llm_judge", () => {
  it("sends the wire format and returns score and reason from a valid reply", async () => {
    const llm = new FakeLlm(['{"score": 0.8, "reason": "Correct but wordy."}']);
    expect(await judge(llm, { rubric: "Is the city right?" })).toEqual({
      score: 0.8,
      reason: "Correct but wordy.",
    });
    expect(llm.requests).toHaveLength(1);
    const request = llm.requests[0]!;
    expect(request.model).toBe("sim:judge");
    expect(request.json).toBe(true);
    expect(request.messages[0]?.role).toBe("system");
    expect(request.messages[0]?.content).toMatch(/^You are a strict evaluator/);
    expect(request.messages[1]).toEqual({
      role: "user",
      content:
        "<rubric>Is the city right?</rubric>\n" +
        '<input>{"question":"Capital of France?"}</input>\n' +
        "<expected>Paris</expected>\n" +
        "<output>Paris is the capital.</output>\n" +
        'Respond with a JSON object: {"score": <number between 0 and 1>, "reason": "<one sentence>"}',
    });
  });

  it("uses the default rubric and options.model", async () => {
    const llm = new FakeLlm(['{"score": 1, "reason": "ok"}']);
    await judge(llm, { model: "openai:gpt-4o-mini" });
    expect(llm.requests[0]?.model).toBe("openai:gpt-4o-mini");
    expect(llm.requests[0]?.messages[1]?.content).toContain(`<rubric>${DEFAULT_JUDGE_RUBRIC}</rubric>`);
  });

  it("reads a fenced reply with prose around it", async () => {
    const llm = new FakeLlm([
      'Here is my verdict:\n```json\n{"score": 0.5, "reason": "Half right."}\n```\nThanks.',
    ]);
    expect(await judge(llm)).toEqual({ score: 0.5, reason: "Half right." });
  });

  it("retries once after an invalid reply, pointing out the problem", async () => {
    const llm = new FakeLlm(["The answer looks good to me!", '{"score": 1, "reason": "Exactly right."}']);
    expect(await judge(llm)).toEqual({ score: 1, reason: "Exactly right." });
    expect(llm.requests).toHaveLength(2);
    const retry = llm.requests[1]!;
    expect(retry.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(retry.messages[2]?.content).toBe("The answer looks good to me!");
    // The retry's last message still carries the wire format (the offline simulator parses the tags).
    expect(retry.messages[3]?.content).toContain(llm.requests[0]?.messages[1]?.content);
    expect(retry.messages[3]?.content).toMatch(/Your previous reply could not be used \(no JSON found/);
  });

  it("does not clamp an out-of-range score: it retries, then throws", async () => {
    const llm = new FakeLlm(['{"score": 8, "reason": "good"}', '{"score": 1.5}']);
    await expect(judge(llm)).rejects.toThrow(
      /judge model "sim:judge" gave no valid score in \[0, 1\] after 2 attempts \(score: .*; then score: .*\); last reply: /,
    );
    expect(llm.requests).toHaveLength(2);
  });

  it("throws after two invalid replies", async () => {
    const llm = new FakeLlm(["no idea", '{"verdict": "pass"}']);
    await expect(judge(llm)).rejects.toThrow(/gave no valid score in \[0, 1\] after 2 attempts/);
  });

  it("lets a provider error through without a judge retry (the gateway owns provider retries)", async () => {
    const llm = new FakeLlm([new LlmError("rate limited", true, 429)]);
    await expect(judge(llm)).rejects.toBeInstanceOf(LlmError);
    expect(llm.requests).toHaveLength(1);
  });

  it("parses replies strictly", () => {
    expect(parseJudgeReply('{"score": 0}')).toEqual({ ok: true, score: 0, reason: undefined });
    expect(parseJudgeReply('{"score": "0.7", "reason": "x"}').ok).toBe(false);
    expect(parseJudgeReply('{"score": -0.1}').ok).toBe(false);
    expect(parseJudgeReply("[0.5]").ok).toBe(false);
    expect(parseJudgeReply('{"score": 0.9, "reason": 42}')).toEqual({
      ok: true,
      score: 0.9,
      reason: undefined,
    });
  });

  it("asks the judge with this system prompt and, by default, this rubric", async () => {
    // The prompts are the judge's behaviour: a change to them must be deliberate (and change this test).
    const llm = new FakeLlm(['{"score": 1}']);
    await judge(llm);
    const [system, user] = llm.requests[0]?.messages ?? [];
    expect(system?.content).toBe(
      "You are a strict evaluator of AI outputs. Grade the output against the rubric and the expected " +
        "answer; give credit only for what the output actually says. Reply with a single JSON object and " +
        "nothing else.",
    );
    expect(user?.content).toContain(
      "<rubric>Score how correct the output is as an answer to the input, using the expected answer as " +
        "the reference. 1 = correct and complete (wording and formatting may differ if the meaning is the " +
        "same); 0 = wrong, contradicts the expected answer, or missing; values in between for partially " +
        "correct or incomplete answers. Penalize invented facts.</rubric>",
    );
  });

  it("refuses a blank rubric, saying why", () => {
    expect(() => llmJudge.options.parse({ rubric: " " })).toThrow(/must not be empty/);
  });

  it("asks for JSON again on the retry, naming the field that was wrong", async () => {
    const llm = new FakeLlm(['{"score": 2}', '{"score": 0.25}']);
    expect(await judge(llm)).toEqual({ score: 0.25, reason: undefined });
    const retry = llm.requests[1];
    expect(retry?.json).toBe(true);
    expect(retry?.model).toBe("sim:judge");
    expect(retry?.messages[3]?.content).toMatch(/Your previous reply could not be used \(score: [^)]*<=1\)/);
  });

  it("reads the first JSON object of a reply, skipping an array before it", () => {
    expect(parseJudgeReply('Ranks [1, 2]; verdict {"score": 0.5, "reason": "ok"}')).toEqual({
      ok: true,
      score: 0.5,
      reason: "ok",
    });
    expect(parseJudgeReply("[0.5, 1]")).toEqual({
      ok: false,
      problem: "the JSON found is not an object",
    });
    expect(parseJudgeReply('{"reason": "fine"}')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^score: /),
    });
  });

  it("quotes at most 200 characters of the last reply in its error", async () => {
    const long = `no score here ${"x".repeat(300)}`;
    const failing = judge(new FakeLlm(["none", long]));
    await expect(failing).rejects.toThrow(`last reply: ${JSON.stringify(`${long.slice(0, 199)}…`)}`);
    const exactly200 = "y".repeat(200);
    await expect(judge(new FakeLlm(["none", exactly200]))).rejects.toThrow(
      `last reply: ${JSON.stringify(exactly200)}`,
    );
  });
});
