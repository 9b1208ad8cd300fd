// llm_judge: a model grades the output against a rubric and the expected answer.
import { z } from "zod";
import { extractJson } from "@/lib/core/json-text";
import type { ChatMessage } from "@/lib/core/types";
import { modelOption } from "./model-option";
import type { MetricDefinition, MetricInput } from "./types";

export const DEFAULT_JUDGE_RUBRIC =
  "Score how correct the output is as an answer to the input, using the expected answer as the " +
  "reference. 1 = correct and complete (wording and formatting may differ if the meaning is the same); " +
  "0 = wrong, contradicts the expected answer, or missing; values in between for partially correct or " +
  "incomplete answers. Penalize invented facts.";

export const JUDGE_SYSTEM_PROMPT =
  "You are a strict evaluator of AI outputs. Grade the output against the rubric and the expected " +
  "answer; give credit only for what the output actually says. Reply with a single JSON object and " +
  "nothing else.";

const RESPONSE_INSTRUCTION =
  'Respond with a JSON object: {"score": <number between 0 and 1>, "reason": "<one sentence>"}';

export const llmJudgeOptions = z.strictObject({
  /** What the judge checks. */
  rubric: z.string().trim().min(1, "must not be empty").default(DEFAULT_JUDGE_RUBRIC),
  /** Judge model, "provider:model". Default: the context's default model. */
  model: modelOption,
});

export type LlmJudgeOptions = z.output<typeof llmJudgeOptions>;

/** The judge's user message. Its tags are a wire format: the offline simulator parses them. */
export function judgeUserMessage(input: MetricInput, rubric: string): string {
  return [
    `<rubric>${rubric}</rubric>`,
    `<input>${JSON.stringify(input.example.input)}</input>`,
    `<expected>${input.expected}</expected>`,
    `<output>${input.output}</output>`,
    RESPONSE_INSTRUCTION,
  ].join("\n");
}

const verdictSchema = z.object({
  score: z.number().min(0).max(1),
  reason: z.string().optional().catch(undefined),
});

export type JudgeVerdict = { ok: true; score: number; reason?: string } | { ok: false; problem: string };

/** Reads the judge's reply: one JSON object (fences and prose around it tolerated) with a score in [0, 1]. */
export function parseJudgeReply(text: string): JudgeVerdict {
  const extracted = extractJson(text, { objectOnly: true });
  if (!extracted.ok) return { ok: false, problem: extracted.error };
  const verdict = verdictSchema.safeParse(extracted.value);
  if (!verdict.success) {
    const issue = verdict.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return { ok: false, problem: `${where}${issue?.message ?? "invalid verdict"}` };
  }
  return { ok: true, score: verdict.data.score, reason: verdict.data.reason };
}

function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const llmJudge: MetricDefinition<LlmJudgeOptions> = {
  name: "llm_judge",
  description:
    "A judge model scores the output in [0, 1] against a rubric (default: correctness against the " +
    "expected answer) and returns a one-sentence reason. A reply without a valid score is retried once " +
    "(with the problem pointed out), then the example's scoring fails; scores are never clamped. " +
    "Options rubric, model (default: the run's default model).",
  options: llmJudgeOptions,
  usesLlm: true,
  async score(input, options, ctx) {
    const model = options.model ?? ctx.defaultModel;
    const userMessage = judgeUserMessage(input, options.rubric);
    const messages: ChatMessage[] = [
      { role: "system", content: JUDGE_SYSTEM_PROMPT },
      { role: "user", content: userMessage },
    ];
    const first = await ctx.llm.generate({ model, json: true, messages, signal: ctx.signal });
    let verdict = parseJudgeReply(first.text);
    if (verdict.ok) return { score: verdict.score, reason: verdict.reason };

    // One retry. The request differs from the first (so a response cache cannot replay the bad reply)
    // and its last user message still carries the whole wire format.
    const firstProblem = verdict.problem;
    const retry = await ctx.llm.generate({
      model,
      json: true,
      messages: [
        ...messages,
        { role: "assistant", content: first.text },
        {
          role: "user",
          content: `${userMessage}\nYour previous reply could not be used (${firstProblem}). Reply with the JSON object only.`,
        },
      ],
      signal: ctx.signal,
    });
    verdict = parseJudgeReply(retry.text);
    if (verdict.ok) return { score: verdict.score, reason: verdict.reason };
    throw new Error(
      `judge model "${model}" gave no valid score in [0, 1] after 2 attempts ` +
        `(${firstProblem}; then ${verdict.problem}); last reply: ${JSON.stringify(shorten(retry.text))}`,
    );
  },
};
