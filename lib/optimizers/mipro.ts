// MIPRO-style instruction × demonstration search (Opsahl-Ong et al., "Optimizing Instructions and
// Demonstrations for Multi-Stage Language Model Programs", 2024). Demos are bootstrapped from the task
// model's OWN outputs on training examples, kept only where they scored 1; instruction candidates are
// proposed by the optimizer model from a summary of the data (a deterministic summary here: the output
// classes and input sizes) and the incumbent's failures; then a TPE search over instruction × demo set
// picks the combinations scored on the minibatch. Demo sets, instructions and every trial live in the
// search state, so each iteration's suggestions learn from all the trials before.
import { z } from "zod";
import type { OptimizerContext, OptimizerInput, SearchPlan, SearchPort } from "@/lib/core/optimizer";
import { promptKey } from "@/lib/core/prompt";
import { sample } from "@/lib/core/random";
import type { Example, FewShotDemo, PromptState } from "@/lib/core/types";
import { renderBrief, requestCandidates } from "./critique-rewrite";
import { beatingIncumbent } from "./proposing";
import { choiceKey, type Trial, tpeSuggestMany } from "./tpe";

export const miproOptions = z
  .object({
    /** Training examples the incumbent is run on to bootstrap demos (once, in the first iteration). */
    bootstrapExamples: z.number().int().min(1).max(200).default(24),
    /** Bootstrapped demo sets to search over (besides the incumbent's own demos). */
    demoSets: z.number().int().min(1).max(16).default(4),
    /** Demos per set. */
    demos: z.number().int().min(1).max(16).default(3),
    /** Scored trials before TPE replaces uniform draws. */
    startupTrials: z.number().int().min(1).max(50).default(4),
    attempts: z.number().int().min(1).max(5).default(3),
    temperature: z.number().min(0).max(2).default(0.9),
  })
  .strict();
export type MiproOptions = z.infer<typeof miproOptions>;

export interface MiproState {
  /** Demo sets; 0 is the demos the run started with. */
  demoSets: FewShotDemo[][];
  /** Instructions (system and output prompt); 0 is the run's own. */
  instructions: { systemPrompt: string; outputPrompt: string }[];
  /** Every combination tried: [instruction, demo set], with its minibatch score. */
  trials: (Trial & { iteration: number })[];
}

const PROPOSER = `You are an expert prompt engineer writing instructions for an LLM task. You receive a
summary of the task's data (<data-summary>), the current prompts, their score and examples they got
wrong. Write new instructions (system prompt and output prompt) grounded in what the data shows: the
output classes or format, how inputs vary, and the rules the failures suggest. Keep every template
variable listed in "variables" and add no new ones; write complete prompts; propose distinct candidates.`;

/** What the proposer is told about the data: output classes (or lengths) and input sizes. */
export function dataSummary(examples: readonly Example[]) {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.expected, (counts.get(e.expected) ?? 0) + 1);
  const lengths = new Map<string, number[]>();
  for (const e of examples)
    for (const [name, value] of Object.entries(e.input)) {
      lengths.set(name, [...(lengths.get(name) ?? []), String(value).length]);
    }
  const meanOf = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
  const classes = counts.size <= 30;
  return {
    examples: examples.length,
    outputs: classes
      ? {
          kind: "classes",
          shares: Object.fromEntries(
            [...counts]
              .sort((a, b) => b[1] - a[1])
              .map(([k, n]) => [k, Math.round((n / examples.length) * 100) / 100]),
          ),
        }
      : { kind: "free text", meanLength: meanOf(examples.map((e) => e.expected.length)) },
    inputLengths: Object.fromEntries([...lengths].map(([k, xs]) => [k, meanOf(xs)])),
  };
}

export function proposeInstructions(input: OptimizerInput, ctx: OptimizerContext, options: MiproOptions) {
  const summary = `<data-summary>\n${JSON.stringify(dataSummary(input.trainExamples))}\n</data-summary>\n`;
  return requestCandidates(
    input,
    ctx,
    [
      { role: "system", content: PROPOSER },
      { role: "user", content: summary + renderBrief(input) },
    ],
    options,
  );
}

/**
 * Demo sets from the model's own correct outputs: `outputs[i]` answered `examples[i]` with `scores[i]`;
 * only those that scored 1 are used, as the model wrote them. Up to `sets` distinct sets of `size`.
 */
export function bootstrapDemoSets(
  examples: readonly Example[],
  run: { scores: readonly number[]; outputs: readonly (string | null)[] },
  sets: number,
  size: number,
  random: () => number,
): FewShotDemo[][] {
  const correct: FewShotDemo[] = examples.flatMap((e, i) => {
    const output = run.outputs[i];
    return (run.scores[i] ?? 0) >= 1 && output != null ? [{ input: e.input, output }] : [];
  });
  if (correct.length === 0) return [];
  const seen = new Set<string>();
  const out: FewShotDemo[][] = [];
  for (let attempt = 0; attempt < sets * 4 && out.length < sets; attempt++) {
    const set = sample(correct, Math.min(size, correct.length), random);
    const key = JSON.stringify(set);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(set);
  }
  return out;
}

const combine = (base: PromptState, state: MiproState, [i, d]: readonly number[]): PromptState => ({
  ...base,
  ...(state.instructions[i as number] as MiproState["instructions"][number]),
  demos: state.demoSets[d as number] as FewShotDemo[],
});

function addInstruction(
  list: MiproState["instructions"],
  prompt: { systemPrompt: string; outputPrompt: string },
) {
  const has = list.some(
    (p) => p.systemPrompt === prompt.systemPrompt && p.outputPrompt === prompt.outputPrompt,
  );
  return has ? list : [...list, { systemPrompt: prompt.systemPrompt, outputPrompt: prompt.outputPrompt }];
}

export const mipro = {
  name: "mipro",
  description:
    "MIPRO-style search: bootstraps demos from the task model's own correct outputs, proposes instructions from a data summary, and picks instruction × demo set combinations by TPE on minibatches.",
  options: miproOptions,
  init: (): MiproState => ({ demoSets: [], instructions: [], trials: [] }),
  async iterate(search: SearchPort, state: MiproState, options: MiproOptions) {
    let demoSets = state.demoSets;
    if (demoSets.length === 0) {
      const examples = sample(
        search.train,
        Math.min(options.bootstrapExamples, search.train.length),
        search.random("bootstrap"),
      );
      const run = await search.rescore(search.incumbent, { examples, label: "bootstrap", outputs: true });
      const bootstrapped = bootstrapDemoSets(
        examples,
        { scores: run.scores, outputs: run.outputs ?? [] },
        options.demoSets,
        options.demos,
        search.random("demo-sets"),
      );
      demoSets = [search.incumbent.demos, ...bootstrapped];
    }
    let instructions = addInstruction(state.instructions, search.incumbent);
    const proposal = await search.propose(
      (input, ctx) => proposeInstructions(input, ctx, options),
      "instructions",
    );
    for (const c of proposal.candidates) instructions = addInstruction(instructions, c.prompt);
    const next: MiproState = { demoSets, instructions, trials: state.trials };

    // The incumbent's own combination is never a trial: it is what the trials must beat.
    const incumbentKey = promptKey(search.incumbent);
    const exclude = new Set<string>();
    instructions.forEach((_, i) => {
      demoSets.forEach((_, d) => {
        if (promptKey(combine(search.incumbent, next, [i, d])) === incumbentKey)
          exclude.add(choiceKey([i, d]));
      });
    });
    const choices = tpeSuggestMany(
      [instructions.length, demoSets.length],
      state.trials,
      search.k,
      search.random("tpe"),
      exclude,
      {
        gamma: 0.25,
        startup: options.startupTrials,
        candidates: 24,
      },
    );
    const candidates = choices.map(([i, d]) => ({
      prompt: combine(search.incumbent, next, [i as number, d as number]),
      rationale: `instruction ${i} with demo set ${d} (${demoSets[d as number]?.length ?? 0} bootstrapped demo(s))`,
    }));
    const scored = await search.score(candidates);
    const trials = [
      ...state.trials,
      ...choices.map((choice, t) => ({
        choice,
        score: scored[t]?.score ?? null,
        iteration: search.iteration,
      })),
    ];
    return {
      state: { ...next, trials },
      contenders: beatingIncumbent(scored, search.incumbentTrain.score.mean),
    };
  },
  plan(options: MiproOptions): SearchPlan {
    return {
      proposals: 1,
      scorings: [
        { candidates: 1, examples: options.bootstrapExamples },
        { candidates: "k", examples: "minibatch" },
      ],
    };
  },
};
