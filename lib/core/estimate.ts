// What a run or a batch will spend, before it starts: model calls, tokens and cost, as an upper bound
// and as an expected value. It counts the same work the step plan (./step-plan.ts) sizes — the splits,
// the strategy's search plan (proposals and scorings per iteration), the contenders validated, the
// final test — and applies the stop rules and budgets the way the loop does.
//
// Upper bound: every iteration up to `stop.maxIterations` runs, nothing is reused, every proposal uses
// all its attempts, every candidate is scored and the top ones validated, candidate prompts grow to
// twice the baseline's; then capped by the budget. Expected: the loop stops after one accepted
// iteration and `stop.patience` stale ones; the incumbent's earlier results are reused (as the loop's
// result index does), about half of the top candidates beat the incumbent on training examples and are
// validated, candidate prompts grow by half.
//
// Tokens: one token per 4 characters (as the offline simulator and most tokenizers on English prose),
// from the prompt's text and the dataset's average input and expected-output lengths. Pure.
import type { SearchPlan } from "./optimizer";
import { DEFAULT_SEARCH_PLAN, type SplitSizes, type StepPlanSettings, splitSizes } from "./step-plan";

export const CHARS_PER_TOKEN = 4;

/** Characters a call adds around the texts we know (role markup, the judge's and optimizer's instructions). */
export const OVERHEAD_CHARS = { task: 40, judge: 600, optimizer: 2_000, rationale: 400 } as const;

/** USD per million tokens; undefined: unknown (the cost cannot be estimated). */
export interface EstimatePrice {
  input: number;
  output: number;
}

export interface TextSizes {
  /** Characters of the system prompt, output template (its variables unfilled) and demos. */
  promptChars: number;
  /** Average characters of an example's input values (what fills the template). */
  inputChars: number;
  /** Average characters of an example's expected output (the task model's answer is taken as long). */
  expectedChars: number;
}

export interface RunEstimateSettings extends Pick<StepPlanSettings, "candidates" | "failures" | "splits"> {
  acceptance: { validateTop: number };
  stop: { maxIterations: number; patience: number };
  budget: { calls?: number; tokens?: number; costUsd?: number };
  /** LLM-judged metrics: each scores every task output with one call to the optimizer model. */
  scoringCallsPerExample: number;
  /** Attempts a proposal may take (the strategy's `attempts` option; 1 without one). */
  proposalAttempts: number;
}

export interface Spend {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; null when a model's price is unknown. */
  costUsd: number | null;
}

export interface RunEstimate {
  kind: "optimize" | "eval" | "batch";
  examples: number;
  splits: SplitSizes | null;
  iterations: { upper: number; expected: number } | null;
  upper: Spend;
  expected: Spend;
  /** Budget limits that cap the upper bound (the run stops when one is spent). */
  cappedBy: ("calls" | "tokens" | "costUsd")[];
  /** Some model of the run costs money per token. */
  paid: boolean;
}

const tokens = (chars: number) => Math.ceil(Math.max(0, chars) / CHARS_PER_TOKEN);

/** Calls of one kind, each with the same input and output size. */
interface CallGroup {
  calls: number;
  input: number;
  output: number;
  price: EstimatePrice | undefined;
}

function spendOf(groups: CallGroup[]): Spend {
  let [calls, inputTokens, outputTokens, cost] = [0, 0, 0, 0 as number | null];
  for (const g of groups) {
    calls += g.calls;
    inputTokens += g.calls * g.input;
    outputTokens += g.calls * g.output;
    if (cost !== null && g.calls > 0)
      cost = g.price ? cost + (g.calls * (g.input * g.price.input + g.output * g.price.output)) / 1e6 : null;
  }
  return { calls, inputTokens, outputTokens, costUsd: cost };
}

/**
 * How long a candidate's prompt may grow over the baseline's: rewrites add rules, definitions and
 * demos. Upper bound: twice the prompt and 600 characters more; expected: half again and 200 more.
 */
export const CANDIDATE_GROWTH = {
  upper: { factor: 2, plus: 600 },
  expected: { factor: 1.5, plus: 200 },
} as const;

/** Per-call sizes of the kinds of call a run makes, for candidate prompts grown by `growth`. */
function callSizes(
  text: TextSizes,
  settings: Pick<RunEstimateSettings, "failures" | "candidates">,
  growth: { factor: number; plus: number } = { factor: 1, plus: 0 },
  triedPrompts = 0,
) {
  const answer = tokens(text.expectedChars);
  const example = text.inputChars + text.expectedChars;
  const candidateChars = text.promptChars * growth.factor + growth.plus;
  const taskCall = (promptChars: number) => ({
    input: tokens(promptChars + text.inputChars + OVERHEAD_CHARS.task),
    output: answer,
  });
  return {
    incumbent: taskCall(text.promptChars),
    candidate: taskCall(candidateChars),
    judge: { input: tokens(OVERHEAD_CHARS.judge + example + text.expectedChars), output: tokens(120) },
    // The brief: the current prompt, the failing examples (with the actual outputs) and the history of
    // tried prompts; the reply: K prompts with their rationales.
    optimizer: {
      input: tokens(
        OVERHEAD_CHARS.optimizer +
          candidateChars * (1 + triedPrompts) +
          settings.failures * (example + text.expectedChars),
      ),
      output: settings.candidates * tokens(candidateChars + OVERHEAD_CHARS.rationale),
    },
  };
}

/** Task-model calls of one iteration (examples scored by the incumbent and by candidates). */
function iterationExamples(
  sizes: SplitSizes,
  settings: RunEstimateSettings,
  search: SearchPlan,
  iteration: number,
) {
  const sized = (n: "minibatch" | "train" | number) =>
    n === "minibatch" ? sizes.minibatch : n === "train" ? sizes.train : n;
  const scored = search.scorings.reduce(
    (sum, s) => sum + (s.candidates === "k" ? settings.candidates : s.candidates) * sized(s.examples),
    0,
  );
  const contenders = Math.min(settings.acceptance.validateTop, settings.candidates);
  // The incumbent's results are known after iteration 1 unless each iteration draws a new minibatch
  // (or another fold validates); about half of the top candidates reach validation.
  const resampled = settings.splits.minibatch !== undefined && settings.splits.minibatch < sizes.train;
  const incumbent =
    iteration === 1
      ? sizes.minibatch + sizes.validation
      : (resampled ? sizes.minibatch : 0) + (settings.splits.folds ? sizes.validation : 0);
  return {
    upper: {
      incumbent: sizes.minibatch + sizes.validation,
      candidate: scored + contenders * sizes.validation,
    },
    expected: { incumbent, candidate: scored + Math.ceil(contenders / 2) * sizes.validation },
  };
}

export interface RunEstimateInput {
  settings: RunEstimateSettings;
  /** Examples in the dataset version. */
  examples: number;
  text: TextSizes;
  prices: { task: EstimatePrice | undefined; optimizer: EstimatePrice | undefined };
  search?: SearchPlan;
}

function isPaid(prices: (EstimatePrice | undefined)[]): boolean {
  return prices.some((p) => p === undefined || p.input > 0 || p.output > 0);
}

/** The spend of an optimization run (see the top of this file for the method). */
export function estimateOptimizationRun(input: RunEstimateInput): RunEstimate {
  const { settings, text, prices } = input;
  const search = input.search ?? DEFAULT_SEARCH_PLAN;
  const sizes = splitSizes(settings, input.examples);
  const maxIterations = settings.stop.maxIterations;
  const expectedIterations = Math.min(maxIterations, 1 + settings.stop.patience);
  const spend = (
    iterations: number,
    attempts: number,
    growth: { factor: number; plus: number },
    bound: boolean,
  ) => {
    // Tried prompts in the optimizer's brief: on average half of those of all iterations.
    const tried = Math.ceil(((iterations - 1) * settings.candidates) / 2);
    const call = callSizes(text, settings, growth, tried);
    let [incumbent, candidate] = [0, 0];
    for (let i = 1; i <= iterations; i++) {
      const one = iterationExamples(sizes, settings, search, i)[bound ? "upper" : "expected"];
      // At most, every later incumbent is an accepted (grown) candidate.
      if (bound && i > 1) candidate += one.incumbent;
      else incumbent += one.incumbent;
      candidate += one.candidate;
    }
    // The final test: the baseline and the best prompt on the test split.
    incumbent += sizes.test;
    candidate += sizes.test;
    const judged = (incumbent + candidate) * settings.scoringCallsPerExample;
    return spendOf([
      { calls: incumbent, ...call.incumbent, price: prices.task },
      { calls: candidate, ...call.candidate, price: prices.task },
      { calls: judged, ...call.judge, price: prices.optimizer },
      { calls: iterations * search.proposals * attempts, ...call.optimizer, price: prices.optimizer },
    ]);
  };
  const upper = spend(maxIterations, settings.proposalAttempts, CANDIDATE_GROWTH.upper, true);
  const expected = spend(expectedIterations, 1, CANDIDATE_GROWTH.expected, false);
  return capByBudget(
    {
      kind: "optimize",
      examples: input.examples,
      splits: sizes,
      iterations: { upper: maxIterations, expected: expectedIterations },
      upper,
      expected,
      cappedBy: [],
      paid: isPaid([prices.task, prices.optimizer]),
    },
    settings.budget,
  );
}

/**
 * The spend of scoring `examples` once with the task model (eval runs; batches with `kind: "batch"`,
 * whose rows are not scored against expected outputs unless metrics are named).
 */
export function estimateEvaluation(input: {
  kind: "eval" | "batch";
  examples: number;
  text: TextSizes;
  scoringCallsPerExample: number;
  prices: { task: EstimatePrice | undefined; judge?: EstimatePrice | undefined };
  budget?: RunEstimateSettings["budget"];
}): RunEstimate {
  const call = callSizes(input.text, { failures: 0, candidates: 0 });
  const spend = spendOf([
    { calls: input.examples, ...call.incumbent, price: input.prices.task },
    { calls: input.examples * input.scoringCallsPerExample, ...call.judge, price: input.prices.judge },
  ]);
  const judged = input.scoringCallsPerExample > 0 ? [input.prices.judge] : [];
  return capByBudget(
    {
      kind: input.kind,
      examples: input.examples,
      splits: null,
      iterations: null,
      upper: spend,
      expected: spend,
      cappedBy: [],
      paid: isPaid([input.prices.task, ...judged]),
    },
    input.budget ?? {},
  );
}

/** A run stops when a budget is spent: the upper bound (and the expectation) cannot pass it. */
function capByBudget(estimate: RunEstimate, budget: RunEstimateSettings["budget"]): RunEstimate {
  const cappedBy: RunEstimate["cappedBy"] = [];
  const cap = (spend: Spend, record: boolean): Spend => {
    const scale = Math.min(
      1,
      budget.calls !== undefined && spend.calls > 0 ? budget.calls / spend.calls : 1,
      budget.tokens !== undefined && spend.inputTokens + spend.outputTokens > 0
        ? budget.tokens / (spend.inputTokens + spend.outputTokens)
        : 1,
      budget.costUsd !== undefined && spend.costUsd ? budget.costUsd / spend.costUsd : 1,
    );
    if (record) {
      if (budget.calls !== undefined && spend.calls > budget.calls) cappedBy.push("calls");
      if (budget.tokens !== undefined && spend.inputTokens + spend.outputTokens > budget.tokens)
        cappedBy.push("tokens");
      if (budget.costUsd !== undefined && spend.costUsd !== null && spend.costUsd > budget.costUsd)
        cappedBy.push("costUsd");
    }
    if (scale >= 1) return spend;
    const scaled = (n: number) => Math.ceil(Math.round(n * scale * 1e6) / 1e6);
    return {
      calls: scaled(spend.calls),
      inputTokens: scaled(spend.inputTokens),
      outputTokens: scaled(spend.outputTokens),
      costUsd: spend.costUsd === null ? null : spend.costUsd * scale,
    };
  };
  const upper = cap(estimate.upper, true);
  return { ...estimate, upper, expected: cap(estimate.expected, false), cappedBy };
}

/** Average characters of `values` (0 for none). */
export function averageChars(values: readonly string[]): number {
  if (values.length === 0) return 0;
  return values.reduce((sum, v) => sum + v.length, 0) / values.length;
}
