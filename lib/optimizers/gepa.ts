// GEPA-style reflective Pareto evolution (Agrawal et al., "GEPA: Reflective Prompt Evolution Can
// Outperform Reinforcement Learning", 2025). A population lives in the search state across iterations,
// each member with its scores on a fixed Pareto set (a seeded subset of the training split). Each
// iteration draws a parent from the Pareto frontier (members best on at least one example, weighted by
// how many), has the optimizer model reflect on the PARENT's own outputs and metric feedback on the
// minibatch, and merges two complementary frontier members (a deterministic, system-aware union of their
// rules: lib/optimizers/merge-prompts.ts). A child that beats its parent on the minibatch is scored on
// the Pareto set and joins the population; those better on it than the incumbent are the contenders,
// and the loop's paired interval on validation still decides.
import { z } from "zod";
import type {
  Candidate,
  OptimizerContext,
  OptimizerInput,
  SearchPlan,
  SearchPort,
} from "@/lib/core/optimizer";
import { promptKey } from "@/lib/core/prompt";
import { sample } from "@/lib/core/random";
import type { Example, PromptState } from "@/lib/core/types";
import { renderBrief, requestCandidates } from "./critique-rewrite";
import { mergePrompts } from "./merge-prompts";
import { complementaryPairs, meanScore, paretoFrontier, sampleByWins } from "./pareto";

export const gepaOptions = z
  .object({
    /** Training examples in the Pareto set every member is scored on. */
    paretoSize: z.number().int().min(2).max(200).default(16),
    /** Members kept; the weakest off the frontier are dropped first. */
    population: z.number().int().min(2).max(64).default(12),
    /** Try a merge of two complementary frontier members each iteration. */
    merge: z.boolean().default(true),
    attempts: z.number().int().min(1).max(5).default(3),
    temperature: z.number().min(0).max(2).default(0.8),
  })
  .strict();
export type GepaOptions = z.infer<typeof gepaOptions>;

export interface GepaMember {
  prompt: PromptState;
  /** Scores on the Pareto set, in the order of `paretoIds` (null: not scored there). */
  scores: (number | null)[];
  /** Population indexes of its parents (none for the seed). */
  parents: number[];
  iteration: number;
}

export interface GepaState {
  paretoIds: string[];
  members: GepaMember[];
  /** Member pairs already merged ("i+j"), never merged again. */
  merged: string[];
}

const REFLECT = `You are an expert prompt engineer improving one prompt of an LLM task by reflection.
You receive that prompt ("current"), its score on a minibatch of the task, and the examples it got wrong:
each input, the expected output, the actual output and the metric's feedback. Reflect on what these
traces show the prompt fails to say (output format, label definitions, edge cases, tie-breaking), then
write improved prompts that state those rules in general terms. Never copy an example's answer into the
prompt. Keep every template variable listed in "variables" and add no new ones; write complete prompts;
do not repeat a prompt from the history.`;

/** The reflection proposal: the parent's own failures and feedback (the port builds them from `from`). */
export function reflect(input: OptimizerInput, ctx: OptimizerContext, options: GepaOptions) {
  return requestCandidates(
    input,
    ctx,
    [
      { role: "system", content: REFLECT },
      { role: "user", content: renderBrief(input) },
    ],
    options,
  );
}

/** The Pareto set's examples still in this iteration's training split, with their columns. */
function paretoExamples(search: SearchPort, ids: readonly string[]) {
  const byId = new Map(search.train.map((e) => [e.id, e]));
  const columns: number[] = [];
  const examples: Example[] = [];
  ids.forEach((id, j) => {
    const example = byId.get(id);
    if (example) {
      columns.push(j);
      examples.push(example);
    }
  });
  return { columns, examples };
}

/** Scores on the present columns spread over the whole Pareto set (null elsewhere). */
function spread(width: number, columns: readonly number[], scores: readonly number[]): (number | null)[] {
  const full: (number | null)[] = Array.from({ length: width }, () => null);
  columns.forEach((j, i) => {
    full[j] = scores[i] as number;
  });
  return full;
}

/** Keeps at most `limit` members: frontier members and `keep` first, then the highest means. */
export function prunePopulation(members: readonly GepaMember[], limit: number, keep: number): number[] {
  if (members.length <= limit) return members.map((_, i) => i);
  const onFrontier = new Set(paretoFrontier(members.map((m) => m.scores)).map((f) => f.member));
  const rank = (i: number) => (i === keep ? 2 : onFrontier.has(i) ? 1 : 0);
  return members
    .map((m, i) => ({ i, rank: rank(i), mean: meanScore(m.scores) }))
    .sort((a, b) => b.rank - a.rank || b.mean - a.mean || a.i - b.i)
    .slice(0, limit)
    .map((m) => m.i)
    .sort((a, b) => a - b);
}

export const gepa = {
  name: "gepa",
  description:
    "GEPA-style reflective Pareto evolution: keeps a population scored per example, reflects on a frontier parent's own failures, and merges complementary members.",
  options: gepaOptions,
  init: (): GepaState => ({ paretoIds: [], members: [], merged: [] }),
  async iterate(search: SearchPort, state: GepaState, options: GepaOptions) {
    const paretoIds =
      state.paretoIds.length > 0
        ? state.paretoIds
        : sample(
            search.train,
            Math.min(options.paretoSize, search.train.length),
            search.random("pareto"),
          ).map((e) => e.id);
    const { columns, examples } = paretoExamples(search, paretoIds);
    const width = paretoIds.length;
    const members = [...state.members];
    // The incumbent is always a member: the seed, or a contender the loop accepted.
    let incumbent = members.findIndex((m) => promptKey(m.prompt) === promptKey(search.incumbent));
    if (incumbent < 0) {
      const seeded = await search.rescore(search.incumbent, { examples, label: "pareto-seed" });
      members.push({
        prompt: search.incumbent,
        scores: spread(width, columns, seeded.scores),
        parents: [],
        iteration: search.iteration,
      });
      incumbent = members.length - 1;
    }
    const frontier = paretoFrontier(members.map((m) => m.scores));
    const parent = frontier.length > 0 ? sampleByWins(frontier, search.random("parent")) : incumbent;
    const parentPrompt = (members[parent] as GepaMember).prompt;
    const parentMinibatch =
      parent === incumbent
        ? search.incumbentTrain.score.mean
        : (await search.rescore(parentPrompt, { label: "parent" })).mean;

    const proposal = await search.propose((input, ctx) => reflect(input, ctx, options), "reflect", {
      from: parentPrompt,
    });
    const children: { candidate: Candidate; parents: number[]; bar: number }[] = proposal.candidates.map(
      (c) => ({
        candidate: c,
        parents: [parent],
        bar: parentMinibatch,
      }),
    );
    const merged = [...state.merged];
    const pair = options.merge
      ? complementaryPairs(frontier).find(([a, b]) => !merged.includes(`${a}+${b}`))
      : undefined;
    if (pair) {
      const [a, b] = [...pair].sort(
        (x, y) => meanScore(members[y]?.scores ?? []) - meanScore(members[x]?.scores ?? []),
      ) as [number, number];
      merged.push(`${Math.min(a, b)}+${Math.max(a, b)}`);
      children.push({
        candidate: {
          prompt: mergePrompts((members[a] as GepaMember).prompt, (members[b] as GepaMember).prompt),
          rationale: `merge of population members ${a} and ${b}, each best on examples the other is not`,
        },
        parents: [a, b],
        // A merge must beat the incumbent on the minibatch to be worth the Pareto set.
        bar: search.incumbentTrain.score.mean,
      });
    }

    const onMinibatch = await search.score(children.map((c) => c.candidate));
    // A merge that equals a reflection's child is one candidate (one index): admitted once.
    const admitted = new Set<number>();
    const passed = children.filter((c, i) => {
      const scored = onMinibatch[i];
      if (scored?.status !== "evaluated" || (scored.score ?? 0) <= c.bar || admitted.has(scored.index))
        return false;
      admitted.add(scored.index);
      return true;
    });
    const onPareto =
      passed.length === 0
        ? []
        : await search.score(
            passed.map((c) => c.candidate),
            { examples, label: "pareto", perExample: true },
          );
    const added: { index: number; member: number }[] = [];
    onPareto.forEach((scored, i) => {
      if (scored.status !== "evaluated" || !scored.scores) return;
      members.push({
        prompt: scored.candidate.prompt,
        scores: spread(width, columns, scored.scores),
        parents: (passed[i] as (typeof passed)[number]).parents,
        iteration: search.iteration,
      });
      added.push({ index: scored.index, member: members.length - 1 });
    });

    const incumbentMean = meanScore(members[incumbent]?.scores ?? []);
    const contenders = added
      .filter((a) => meanScore((members[a.member] as GepaMember).scores) > incumbentMean)
      .sort(
        (x, y) =>
          meanScore((members[y.member] as GepaMember).scores) -
          meanScore((members[x.member] as GepaMember).scores),
      )
      .map((a) => a.index);
    const kept = prunePopulation(members, options.population, incumbent);
    return { state: renumber(paretoIds, members, merged, kept), contenders };
  },
  plan(options: GepaOptions): SearchPlan {
    return {
      proposals: 1,
      scorings: [
        { candidates: 1, examples: options.paretoSize }, // the seed (first iteration)
        { candidates: 1, examples: "minibatch" }, // the parent, when it is not the incumbent
        { candidates: "k", examples: "minibatch" },
        { candidates: 1, examples: "minibatch" }, // the merge
        { candidates: "k", examples: options.paretoSize },
        { candidates: 1, examples: options.paretoSize },
      ],
    };
  },
};

/** The state with only the `kept` members, parents and merged pairs renumbered (dropped parents vanish). */
function renumber(
  paretoIds: string[],
  members: readonly GepaMember[],
  merged: readonly string[],
  kept: number[],
): GepaState {
  const at = new Map(kept.map((old, i) => [old, i]));
  const mapPair = (pair: string) => {
    const [a, b] = pair.split("+").map((n) => at.get(Number(n)));
    return a === undefined || b === undefined ? [] : [`${a}+${b}`];
  };
  return {
    paretoIds,
    members: kept.map((old) => {
      const m = members[old] as GepaMember;
      return { ...m, parents: m.parents.flatMap((p) => (at.has(p) ? [at.get(p) as number] : [])) };
    }),
    merged: merged.flatMap(mapPair),
  };
}
