// Beam search with successive halving (Jamieson and Talwalkar, 2016; as Hyperband's inner loop): many
// candidates are proposed at once and scored on a small subset of the training split; the better half
// goes on to a subset twice as large, and so on, so most of the scoring budget goes to the candidates
// that earned it. The survivors are the contenders; the loop's paired interval on validation still
// decides whether one replaces the incumbent.
import { z } from "zod";
import type { Candidate, SearchPlan, SearchPort } from "@/lib/core/optimizer";
import { shuffle } from "@/lib/core/random";
import { critiqueRewrite } from "./critique-rewrite";
import { beatingIncumbent } from "./proposing";

export const successiveHalvingOptions = z
  .object({
    /** Candidates proposed per iteration (the beam's width at the first rung). */
    pool: z.number().int().min(2).max(32).default(8),
    /** Training examples each candidate is scored on at the first rung. */
    firstRungExamples: z.number().int().min(2).max(500).default(8),
    /** Candidates kept from one rung to the next: 1/eta of them; the subset grows eta times. */
    eta: z.number().int().min(2).max(4).default(2),
    /** Stop halving at this many survivors. */
    survivors: z.number().int().min(1).max(8).default(2),
    temperature: z.number().min(0).max(2).default(0.9),
  })
  .strict();
export type SuccessiveHalvingOptions = z.infer<typeof successiveHalvingOptions>;

export interface Rung {
  candidates: number;
  examples: number;
}

/**
 * The rungs: `pool` candidates on `first` examples, then pool/eta on first·eta, … until `survivors`
 * remain or the subset would exceed the training split (the last rung then uses all of it).
 */
export function halvingSchedule(
  pool: number,
  first: number,
  eta: number,
  survivors: number,
  trainSize: number,
): Rung[] {
  const rungs: Rung[] = [];
  let candidates = pool;
  let examples = Math.min(first, trainSize);
  for (;;) {
    rungs.push({ candidates, examples });
    const next = Math.max(survivors, Math.floor(candidates / eta));
    if (next === candidates || examples >= trainSize) break;
    candidates = next;
    examples = Math.min(trainSize, examples * eta);
  }
  return rungs;
}

/** Calls the schedule pays for at most: candidates × examples summed over the rungs. */
export function scheduleCalls(rungs: readonly Rung[]): number {
  return rungs.reduce((sum, r) => sum + r.candidates * r.examples, 0);
}

export const successiveHalving = {
  name: "successive-halving",
  description:
    "Beam search with successive halving: proposes a wide pool, scores it on a small subset, and promotes the better half to a subset twice as large until few remain.",
  options: successiveHalvingOptions,
  init: () => null,
  async iterate(search: SearchPort, _state: null, options: SuccessiveHalvingOptions) {
    const proposal = await search.propose((input, ctx) =>
      critiqueRewrite.propose({ ...input, k: options.pool }, ctx, {
        attempts: 3,
        temperature: options.temperature,
      }),
    );
    // Nested subsets of one seeded order: a rung's examples include the previous rung's.
    const order = shuffle(search.train, search.random("halving"));
    const rungs = halvingSchedule(
      proposal.candidates.length,
      options.firstRungExamples,
      options.eta,
      options.survivors,
      order.length,
    );
    let alive: Candidate[] = proposal.candidates;
    let last: Awaited<ReturnType<SearchPort["score"]>> = [];
    for (const [i, rung] of rungs.entries()) {
      if (alive.length === 0) break;
      last = await search.score(alive, { examples: order.slice(0, rung.examples), label: `rung-${i}` });
      const next = rungs[i + 1];
      if (!next) break;
      alive = last
        .filter((c) => c.status === "evaluated")
        .sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
        .slice(0, next.candidates)
        .map((c) => c.candidate);
    }
    return { state: null, contenders: beatingIncumbent(last, search.incumbentTrain.score.mean) };
  },
  plan(options: SuccessiveHalvingOptions): SearchPlan {
    // The plan is sized for a training split large enough for every rung (an upper bound).
    const rungs = halvingSchedule(
      options.pool,
      options.firstRungExamples,
      options.eta,
      options.survivors,
      1e9,
    );
    return { proposals: 1, scorings: rungs.map((r) => ({ candidates: r.candidates, examples: r.examples })) };
  },
};
