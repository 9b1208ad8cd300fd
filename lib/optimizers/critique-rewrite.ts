// The plan's default strategy: the optimizer model critiques the failures and rewrites the prompts.
import { z } from "zod";
import { extractJson } from "@/lib/core/json-text";
import type { OptimizerContext, OptimizerInput, Proposal } from "@/lib/core/optimizer";
import { LlmError, type LlmResponse } from "@/lib/core/ports";
import type { ChatMessage } from "@/lib/core/types";
import { proposingStrategy } from "./proposing";

export const critiqueRewriteOptions = z
  .object({
    /** Calls per proposal: the first plus retries when the reply is malformed or the call fails. */
    attempts: z.number().int().min(1).max(5).default(3),
    /** Sampling temperature of the optimizer model. */
    temperature: z.number().min(0).max(2).default(0.7),
  })
  .strict();
export type CritiqueRewriteOptions = z.infer<typeof critiqueRewriteOptions>;

const replySchema = z.object({
  candidates: z
    .array(
      z.object({
        systemPrompt: z.string(),
        outputPrompt: z.string().min(1),
        rationale: z.string().default(""),
      }),
    )
    .min(1),
});

const SYSTEM = `You are an expert prompt engineer. You improve the prompts of an LLM task from evidence.
You receive the current system prompt and output prompt (a template with {{variables}}), the task model's
score, the examples it failed (input, expected output, actual output) and the prompts tried before with
their scores. Diagnose why the outputs are wrong: missing output format rules, unclear label definitions,
unhandled edge cases, missing tie-breaking rules, wrong assumptions. Then write improved prompts that fix
those causes in general terms: never copy the failing examples' answers into the prompt.
Rules: keep every template variable listed in "variables" and add no new ones; write complete prompts,
not diffs; propose distinct candidates; do not repeat a prompt from the history.`;

export function renderBrief(input: OptimizerInput): string {
  const brief = {
    k: input.k,
    variables: input.variables,
    current: { systemPrompt: input.incumbent.systemPrompt, outputPrompt: input.incumbent.outputPrompt },
    summary: {
      score: round(input.summary.score.mean),
      low: round(input.summary.score.low),
      high: round(input.summary.score.high),
      n: input.summary.score.n,
      failed: input.summary.failed,
      metrics: Object.fromEntries(Object.entries(input.summary.metrics).map(([k, v]) => [k, round(v)])),
    },
    failures: input.failures.map((f) => ({
      input: f.input,
      expected: f.expected,
      actual: f.actual,
      error: f.error,
      score: round(f.score),
      feedback: Object.fromEntries(
        Object.entries(f.metrics)
          .filter(([, m]) => m.reason)
          .map(([name, m]) => [name, m.reason]),
      ),
    })),
    history: input.history.map((h) => ({
      iteration: h.iteration,
      systemPrompt: h.prompt.systemPrompt,
      outputPrompt: h.prompt.outputPrompt,
      rationale: h.rationale,
      trainScore: round(h.trainScore),
      validationScore: h.validationScore === null ? null : round(h.validationScore),
      accepted: h.accepted,
    })),
  };
  return `<brief>\n${JSON.stringify(brief, null, 2)}\n</brief>
Propose ${input.k} improved prompt pair(s). Reply with JSON only:
{"candidates": [{"systemPrompt": "...", "outputPrompt": "...", "rationale": "what you changed and which failures it fixes"}]}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Asks the optimizer model for candidates with `messages` and parses its JSON reply, retrying (up to
 * `attempts` calls) after a failed call or a malformed reply, which is shown back to the model.
 */
export async function requestCandidates(
  input: OptimizerInput,
  ctx: OptimizerContext,
  firstMessages: ChatMessage[],
  options: { attempts: number; temperature: number },
): Promise<Proposal> {
  const messages = [...firstMessages];
  const rejected: Proposal["rejected"] = [];
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    let response: LlmResponse;
    try {
      response = await ctx.llm.generate({
        model: ctx.model,
        messages,
        json: true,
        params: { temperature: options.temperature, seed: input.iteration * 100 + attempt },
        signal: ctx.signal,
      });
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      rejected.push({ reason: `optimizer call failed: ${error.message}`, raw: "" });
      if (!error.retryable) break;
      continue;
    }
    const raw = response.text;
    const extracted = extractJson(raw, { objectOnly: true });
    const parsed = replySchema.safeParse(extracted.ok ? extracted.value : undefined);
    if (parsed.success) {
      const candidates = parsed.data.candidates.slice(0, input.k).map((c) => ({
        prompt: { ...input.incumbent, systemPrompt: c.systemPrompt, outputPrompt: c.outputPrompt },
        rationale: c.rationale,
      }));
      return { candidates, rejected };
    }
    // A failed parse has at least one issue: the reason is never empty.
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "reply"}: ${i.message}`).join("; ");
    rejected.push({ reason: `malformed optimizer output (${reason})`, raw });
    // Show the model its mistake, as a person would.
    messages.push(
      { role: "assistant", content: raw },
      { role: "user", content: `That reply was not usable: ${reason}. Reply with the JSON object only.` },
    );
  }
  return { candidates: [], rejected };
}

export const critiqueRewrite = proposingStrategy<CritiqueRewriteOptions>({
  name: "critique-rewrite",
  description:
    "The optimizer model critiques the failing examples and rewrites the system and output prompts.",
  options: critiqueRewriteOptions,
  propose: (input, ctx, options) =>
    requestCandidates(
      input,
      ctx,
      [
        { role: "system", content: SYSTEM },
        { role: "user", content: renderBrief(input) },
      ],
      options,
    ),
});
