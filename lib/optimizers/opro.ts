// OPRO-style meta-prompting (Yang et al., "Large Language Models as Optimizers", 2023): the optimizer
// model sees the trajectory — the prompts tried so far with their scores, sorted from worst to best so
// the best are nearest the instruction — and a few exemplars of the task, and writes new prompts that
// should score higher than all of them. Unlike critique-rewrite, the signal is the score landscape, not a
// diagnosis of each failure.
import { z } from "zod";
import type { OptimizerInput, TriedPrompt } from "@/lib/core/optimizer";
import { renderBrief, requestCandidates } from "./critique-rewrite";
import { proposingStrategy } from "./proposing";

export const oproOptions = z
  .object({
    /** Tried prompts shown, the best ones (OPRO keeps the top 20). */
    trajectory: z.number().int().min(1).max(50).default(20),
    /** Task exemplars shown (from the incumbent's failures). */
    exemplars: z.number().int().min(0).max(20).default(3),
    attempts: z.number().int().min(1).max(5).default(3),
    /** OPRO samples at temperature 1 for diverse proposals. */
    temperature: z.number().min(0).max(2).default(1),
  })
  .strict();
export type OproOptions = z.infer<typeof oproOptions>;

const META_PROMPT = `You are an optimizer of prompts for an LLM task. Below are the prompts tried so far with
their scores (0 to 1, higher is better), sorted from lowest to highest, and a few examples of the task
with the expected output and what the current best prompt produced. Write new prompts that are different
from all the prompts above and score higher than all of them. Keep every template variable listed in
"variables" and add no new ones.`;

/** The trajectory: at most `limit` tried prompts, the best ones, in ascending order of score. */
export function trajectory(history: readonly TriedPrompt[], limit: number): TriedPrompt[] {
  const score = (h: TriedPrompt) => h.validationScore ?? h.trainScore;
  return [...history]
    .sort((a, b) => score(b) - score(a))
    .slice(0, limit)
    .reverse();
}

/** The optimizer's input as OPRO frames it: the top of the trajectory, ascending, and a few exemplars. */
export function oproInput(input: OptimizerInput, options: OproOptions): OptimizerInput {
  return {
    ...input,
    history: trajectory(input.history, options.trajectory),
    failures: input.failures.slice(0, options.exemplars),
  };
}

export const opro = proposingStrategy<OproOptions>({
  name: "opro",
  description:
    "OPRO-style meta-prompting: shows the optimizer model the prompts tried so far sorted by score, and asks for prompts that score higher.",
  options: oproOptions,
  propose: (input, ctx, options) =>
    requestCandidates(
      input,
      ctx,
      [
        { role: "system", content: META_PROMPT },
        { role: "user", content: renderBrief(oproInput(input, options)) },
      ],
      options,
    ),
});
