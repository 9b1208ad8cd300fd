// Strategies that propose K candidates per iteration from the incumbent's failures and keep no search
// state of their own (critique-rewrite, few-shot): one proposal, the candidates scored on the minibatch,
// and those beating the incumbent there are the contenders, best first.
import type { z } from "zod";
import type {
  OptimizerContext,
  OptimizerInput,
  OptimizerStrategy,
  Proposal,
  ScoredCandidate,
} from "@/lib/core/optimizer";

export interface ProposingStrategy<Options> extends OptimizerStrategy<Options, null> {
  /** One proposal; `options` default to the schema's defaults. */
  propose(input: OptimizerInput, ctx: OptimizerContext, options?: Options): Promise<Proposal>;
}

/** Evaluated candidates that score above the incumbent's mean, highest first (ties keep their order). */
export function beatingIncumbent(scored: readonly ScoredCandidate[], incumbentMean: number): number[] {
  return (
    scored
      // Rejected candidates have no score.
      .filter((c) => (c.score ?? Number.NEGATIVE_INFINITY) > incumbentMean)
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
      .map((c) => c.index)
  );
}

export function proposingStrategy<Options>(definition: {
  name: string;
  description: string;
  options: z.ZodType<Options>;
  propose(input: OptimizerInput, ctx: OptimizerContext, options: Options): Promise<Proposal>;
}): ProposingStrategy<Options> {
  return {
    name: definition.name,
    description: definition.description,
    options: definition.options,
    init: () => null,
    propose: (input, ctx, options) => definition.propose(input, ctx, options ?? definition.options.parse({})),
    async iterate(search, _state, options) {
      const proposal = await search.propose((input, ctx) => definition.propose(input, ctx, options));
      const scored = await search.score(proposal.candidates);
      return { state: null, contenders: beatingIncumbent(scored, search.incumbentTrain.score.mean) };
    },
    plan: () => ({ proposals: 1, scorings: [{ candidates: "k", examples: "minibatch" }] }),
  };
}
