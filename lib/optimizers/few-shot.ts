// Few-shot demo selection: keep the instructions, try different sets of labelled training examples as demos.
import type { OptimizerStrategy } from "@/lib/core/optimizer";
import { sample } from "@/lib/core/random";

/** Demos per candidate: enough to show the format and the labels, few enough to keep prompts short. */
const DEMOS = 4;

export const fewShot: OptimizerStrategy = {
  name: "few-shot",
  description:
    "Proposes the current prompts with different sets of training examples as few-shot demos, favouring examples like the failures.",
  async propose(input) {
    const failing = new Set(input.failures.map((f) => f.expected));
    // Demos whose expected output the model got wrong teach the most; fill up with random ones.
    const pool = input.trainExamples;
    const preferred = pool.filter((e) => failing.has(e.expected));
    const candidates = Array.from({ length: input.k }, (_, i) => {
      const fromFailures = sample(preferred, Math.min(DEMOS - 1, preferred.length), input.random);
      const rest = sample(
        pool.filter((e) => !fromFailures.includes(e)),
        DEMOS - fromFailures.length,
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
};
