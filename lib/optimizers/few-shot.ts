// Few-shot demo selection: keep the instructions, try different sets of labelled training examples as demos.
import { z } from "zod";
import { sample } from "@/lib/core/random";
import { proposingStrategy } from "./proposing";

export const fewShotOptions = z
  .object({
    /** Demos per candidate: enough to show the format and the labels, few enough to keep prompts short. */
    demos: z.number().int().min(1).max(16).default(4),
  })
  .strict();
export type FewShotOptions = z.infer<typeof fewShotOptions>;

export const fewShot = proposingStrategy<FewShotOptions>({
  name: "few-shot",
  description:
    "Proposes the current prompts with different sets of training examples as few-shot demos, favouring examples like the failures.",
  options: fewShotOptions,
  async propose(input, _ctx, options) {
    const failing = new Set(input.failures.map((f) => f.expected));
    // Demos whose expected output the model got wrong teach the most; fill up with random ones.
    const pool = input.trainExamples;
    const preferred = pool.filter((e) => failing.has(e.expected));
    const candidates = Array.from({ length: input.k }, (_, i) => {
      const fromFailures = sample(preferred, Math.min(options.demos - 1, preferred.length), input.random);
      const rest = sample(
        pool.filter((e) => !fromFailures.includes(e)),
        options.demos - fromFailures.length,
        input.random,
      );
      const demos = [...fromFailures, ...rest].map((e) => ({ input: e.input, output: e.expected }));
      return {
        prompt: { ...input.incumbent, demos },
        rationale: `demo set ${i + 1}: ${fromFailures.length} example(s) of the failing outputs' classes, ${rest.length} random`,
      };
    });
    return { candidates, rejected: [] };
  },
});
