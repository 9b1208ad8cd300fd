// The optimizer port. A strategy runs one iteration of a search at a time: it keeps its own state from
// one iteration to the next (a population, a frontier, a beam), asks for proposals from the optimizer
// model and for candidates to be scored on training examples it chooses — each a durable step paid from
// the run's budgets — and names the contenders the loop then checks on validation. Acceptance stays in
// the loop: only a gain the paired interval supports on held-out data replaces the incumbent.
import type { z } from "zod";
import type { LlmPort } from "./ports";
import type { Example, Interval, PromptState, Variables } from "./types";

export interface Failure {
  exampleId: string;
  input: Variables;
  expected: string;
  actual: string | null;
  error: string | null;
  score: number;
  /** Per-metric scores, with reasons where a metric gives one. */
  metrics: Record<string, { score: number; reason?: string }>;
}

export interface TriedPrompt {
  iteration: number;
  prompt: PromptState;
  rationale: string;
  trainScore: number;
  validationScore: number | null;
  accepted: boolean;
}

/** How the incumbent did on this iteration's training examples. */
export interface TrainSummary {
  score: Interval;
  metrics: Record<string, number>;
  failed: number;
}

/** What a proposal is made from (inside its durable step). */
export interface OptimizerInput {
  iteration: number;
  /** How many candidates to propose. */
  k: number;
  incumbent: PromptState;
  /** Variables every prompt must keep using (and may not go beyond). */
  variables: string[];
  summary: TrainSummary;
  /** The lowest-scoring examples of this iteration, worst first (read back from the run's results). */
  failures: Failure[];
  history: TriedPrompt[];
  /** Training examples a strategy may draw few-shot demos from. */
  trainExamples: Example[];
  /** Deterministic randomness in [0, 1). */
  random: () => number;
}

export interface Candidate {
  prompt: PromptState;
  rationale: string;
}

export interface OptimizerContext {
  llm: LlmPort;
  /** The optimizer model, "provider:model". */
  model: string;
  signal?: AbortSignal;
}

export interface Proposal {
  candidates: Candidate[];
  /** Attempts whose output could not be used (malformed, invalid template), kept for the record. */
  rejected: { reason: string; raw: string }[];
}

export type ProposeFn = (input: OptimizerInput, ctx: OptimizerContext) => Promise<Proposal>;

/** A candidate after `score`: rejected ones (dropped or invented variables, a repeat) are never scored. */
export interface ScoredCandidate {
  /** Its index among this iteration's candidates (the same prompt keeps its index). */
  index: number;
  candidate: Candidate;
  status: "evaluated" | "rejected";
  rejectReason?: string;
  /** Mean score on the examples it was scored on; null when rejected. */
  score: number | null;
  examples: number;
  /** Per-example scores in the order of the examples, when `score` was asked for them. */
  scores?: number[];
}

/** A prompt's scores on a set of training examples (per example, in their order). */
export interface PromptScores {
  mean: number;
  scores: number[];
  /** The task model's outputs (null where the call failed), when `rescore` was asked for them. */
  outputs?: (string | null)[];
}

/** What the loop offers a strategy during iteration `iteration`. */
export interface SearchPort {
  readonly iteration: number;
  /** Candidates per iteration (`optimizer.candidates`). */
  readonly k: number;
  readonly incumbent: PromptState;
  readonly variables: readonly string[];
  /** Every candidate scored so far, with its scores and whether it was accepted. */
  readonly history: readonly TriedPrompt[];
  /** This iteration's training split (the folds outside validation, in cross-validation mode). */
  readonly train: readonly Example[];
  /** The training examples the incumbent was scored on this iteration (the minibatch, or `train`). */
  readonly minibatch: readonly Example[];
  /** The incumbent on `minibatch`. */
  readonly incumbentTrain: TrainSummary;
  /** Deterministic randomness of this iteration; a label gives an independent stream. */
  random(label?: string): () => number;
  /**
   * Runs `propose` with the optimizer model in a durable step (`iter-N/optimizer`, or
   * `iter-N/optimizer/<label>`), its input built from the incumbent's failing examples on `minibatch`;
   * `from` builds it from another prompt's recorded results on `minibatch` instead (it must have been
   * scored there this run: by `score` or `rescore`), as that prompt's summary and worst examples.
   */
  propose(propose: ProposeFn, label?: string, options?: { from?: PromptState }): Promise<Proposal>;
  /**
   * Scores candidates on training examples (default `minibatch`) in durable batch steps, paid from the
   * run's budgets; a label names the steps of a strategy's own subsets (`iter-N/refined-inference/<label>/…`).
   * Results already recorded for a prompt and example are reused, never paid for twice.
   */
  score(
    candidates: readonly Candidate[],
    options?: { examples?: readonly Example[]; label?: string; perExample?: boolean },
  ): Promise<ScoredCandidate[]>;
  /**
   * Scores a prompt that is not a candidate of this iteration (the incumbent, or a prompt tried before:
   * a population member) on training examples, in labelled durable steps; results already recorded are
   * reused and it is never recorded as a candidate.
   */
  rescore(
    prompt: PromptState,
    options: { examples?: readonly Example[]; label: string; outputs?: boolean },
  ): Promise<PromptScores>;
}

export interface SearchOutcome<State> {
  /** The state the next iteration receives. */
  state: State;
  /** Candidate indexes for the loop to check on validation, best first (it checks `validateTop`). */
  contenders: number[];
}

/** What one iteration of a strategy asks for at most: sizes the run's step plan (lib/core/step-plan.ts). */
export interface SearchPlan {
  /** `search.propose` calls. */
  proposals: number;
  /** `search.score` calls: how many candidates ("k": `optimizer.candidates`) on how many examples. */
  scorings: { candidates: number | "k"; examples: number | "minibatch" | "train" }[];
}

export interface OptimizerStrategy<Options = unknown, State = unknown> {
  name: string;
  description: string;
  /** Zod schema of `optimizer.options`, with defaults; parsing `{}` must succeed. */
  options: z.ZodType<Options>;
  /** The search state before the first iteration: plain JSON data. */
  init(options: Options): State;
  /**
   * One iteration. It runs in the loop's replayed code: it must decide only from its arguments and what
   * `search` returns (randomness from `search.random`, model calls inside `search.propose`), never mutate
   * `state` in place, so that a resumed run rebuilds exactly the same search.
   */
  iterate(search: SearchPort, state: State, options: Options): Promise<SearchOutcome<State>>;
  /** What one iteration asks for at most; default: one proposal, K candidates scored on the minibatch. */
  plan?(options: Options): SearchPlan;
}
