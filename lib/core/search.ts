// The SearchPort of one iteration: what a strategy may ask of the loop (proposals, scores on training
// examples it chooses), each a durable step paid from the run's budgets, and the record of every
// candidate it produced.
import {
  type EvaluationContext,
  type EvaluationJob,
  evaluateJobs,
  meteredStep,
  type ResultRef,
  readResults,
} from "./evaluate";
import type {
  Candidate,
  Failure,
  OptimizerContext,
  PromptScores,
  Proposal,
  ProposeFn,
  ScoredCandidate,
  SearchPort,
  TrainSummary,
  TriedPrompt,
} from "./optimizer";
import { promptKey } from "./prompt";
import { createRandom } from "./random";
import type { CandidateRecord } from "./report";
import { mean } from "./stats";
import { iterationSteps, PHASES, PROGRESS_STEPS } from "./step-ids";
import { scoresOf, summarizeIncumbent } from "./summaries";
import { templateVariables } from "./template";
import type { Example, PromptState } from "./types";

/** A rejected attempt's raw output is kept in its step's result only this long (steps stay small). */
const RAW_KEPT = 2_000;

export interface IterationScope {
  iteration: number;
  seed: number;
  k: number;
  incumbent: PromptState;
  variables: string[];
  history: TriedPrompt[];
  train: readonly Example[];
  minibatch: readonly Example[];
  incumbentTrain: TrainSummary;
  /** Where the incumbent's results on `minibatch` are, and which of them failed worst. */
  incumbentTrainRef: ResultRef;
  failureIds: readonly string[];
  /** Failing examples a proposal shows at most (`failures`); default: as many as the incumbent's. */
  failureLimit?: number;
  /** Prompt keys tried so far in the run (shared across iterations). */
  tried: Set<string>;
  evaluation: EvaluationContext;
  optimizer: Omit<OptimizerContext, "llm">;
}

/** Why a candidate cannot be scored (its variables, or a prompt already tried), or null. */
export function candidateProblem(
  prompt: PromptState,
  variables: string[],
  tried: Set<string>,
): string | null {
  const used = templateVariables(prompt.outputPrompt);
  const missing = variables.filter((v) => !used.includes(v));
  const unknown = used.filter((v) => !variables.includes(v));
  if (missing.length) return `drops template variable(s): ${missing.join(", ")}`;
  if (unknown.length) return `uses unknown variable(s): ${unknown.join(", ")}`;
  if (tried.has(promptKey(prompt))) return "repeats a prompt already tried";
  return null;
}

export class IterationSearch implements SearchPort {
  /** Every candidate of the iteration, in the order first seen. */
  readonly candidates: CandidateRecord[] = [];
  readonly rejectedProposals: { reason: string }[] = [];
  private readonly indexByKey = new Map<string, number>();
  private readonly labels = new Set<string>();
  private readonly steps: ReturnType<typeof iterationSteps>;

  constructor(private readonly scope: IterationScope) {
    this.steps = iterationSteps(scope.iteration);
  }

  get iteration() {
    return this.scope.iteration;
  }
  get k() {
    return this.scope.k;
  }
  get incumbent() {
    return this.scope.incumbent;
  }
  get variables() {
    return this.scope.variables;
  }
  get history() {
    return this.scope.history;
  }
  get train() {
    return this.scope.train;
  }
  get minibatch() {
    return this.scope.minibatch;
  }
  get incumbentTrain() {
    return this.scope.incumbentTrain;
  }

  random(label?: string): () => number {
    const { seed, iteration } = this.scope;
    return createRandom(`search:${seed}:${iteration}${label ? `:${label}` : ""}`);
  }

  /** Each label names steps once per iteration: a second use would replay the first one's results. */
  private claim(kind: string, label: string | undefined): void {
    const key = `${kind}:${label ?? ""}`;
    if (this.labels.has(key)) {
      throw new Error(`iteration ${this.scope.iteration}: ${kind} label "${label ?? "(none)"}" used twice`);
    }
    this.labels.add(key);
  }

  async propose(propose: ProposeFn, label?: string, options: { from?: PromptState } = {}): Promise<Proposal> {
    this.claim("propose", label);
    const { scope } = this;
    const from = options.from && promptKey(options.from) !== promptKey(scope.incumbent) ? options.from : null;
    // Where `from`'s results on the minibatch are: known before the step, so a replay decides alike.
    const fromRef = from && scope.evaluation.known.refOf(from, scope.minibatch);
    if (from && !fromRef) {
      throw new Error(`iteration ${scope.iteration}: propose from a prompt not scored on the minibatch`);
    }
    const progress = scope.evaluation.progress;
    progress.begin(PROGRESS_STEPS.optimizer, scope.iteration, 1);
    const proposal = await meteredStep(scope.evaluation, this.steps.optimizer(label), async (llm) => {
      const brief = fromRef
        ? await this.briefFrom(fromRef)
        : { summary: scope.incumbentTrain, failures: await this.failures() };
      const result = await propose(
        {
          iteration: scope.iteration,
          k: scope.k,
          incumbent: from ?? scope.incumbent,
          variables: scope.variables,
          summary: brief.summary,
          failures: brief.failures,
          history: scope.history,
          trainExamples: [...scope.train],
          random: createRandom(`optimizer:${scope.seed}:${scope.iteration}${label ? `:${label}` : ""}`),
        },
        { ...scope.optimizer, llm },
      );
      return {
        candidates: result.candidates,
        rejected: result.rejected.map(({ reason, raw }) => ({ reason, raw: raw.slice(0, RAW_KEPT) })),
      };
    });
    progress.advance(1);
    this.rejectedProposals.push(...proposal.rejected.map(({ reason }) => ({ reason })));
    return proposal;
  }

  /** Another prompt's summary and worst examples on the minibatch, from its recorded results. */
  private async briefFrom(ref: ResultRef) {
    const { seed, iteration, failureLimit, failureIds } = this.scope;
    const results = await readResults(this.scope.evaluation.recorder, ref);
    const summary = summarizeIncumbent(results, [], {
      seed,
      iteration,
      failures: failureLimit ?? failureIds.length,
    });
    return { summary: summary.train, failures: await this.failures(ref, summary.failures) };
  }

  /** A prompt's worst training examples (the incumbent's by default), read back inside the proposal step. */
  private async failures(
    ref: ResultRef = this.scope.incumbentTrainRef,
    failureIds: readonly string[] = this.scope.failureIds,
  ): Promise<Failure[]> {
    const { minibatch, evaluation } = this.scope;
    const phaseOf = new Map(ref.ids.map((id, i) => [id, ref.phases[i] as string]));
    const picked: ResultRef = {
      ids: [...failureIds],
      phases: failureIds.map((id) => phaseOf.get(id) as string),
    };
    const examples = new Map(minibatch.map((e) => [e.id, e]));
    // readResults keeps the order of the ids (worst first) and fails on a result that is not there.
    return (await readResults(evaluation.recorder, picked)).map((result) => {
      const id = result.exampleId;
      const example = examples.get(id) as Example;
      return {
        exampleId: id,
        input: example.input,
        expected: example.expected,
        actual: result.output,
        error: result.error,
        score: result.score,
        metrics: result.metrics,
      };
    });
  }

  async score(
    candidates: readonly Candidate[],
    options: { examples?: readonly Example[]; label?: string; perExample?: boolean } = {},
  ): Promise<ScoredCandidate[]> {
    this.claim("score", options.label);
    const { scope } = this;
    const examples = options.examples ?? scope.minibatch;
    const records = candidates.map((candidate) => this.register(candidate));
    const toScore = [...new Set(records.filter((r) => r.status === "evaluated"))];
    const jobs: EvaluationJob[] = toScore.map((record) => ({
      prompt: record.prompt,
      examples,
      phase: PHASES.candidate(scope.iteration, "train", record.index, options.label),
      split: "train",
      step: this.steps.refinedInference(record.index, options.label),
      progress: { step: PROGRESS_STEPS.refinedInference, iteration: scope.iteration },
    }));
    const refs = await evaluateJobs(scope.evaluation, jobs);
    const summaryStep = this.steps.trainSummary(options.label);
    let perExample: Map<CandidateRecord, number[]> | undefined;
    if (toScore.length > 0 && options.perExample) {
      const lists = await this.scoreLists(summaryStep, refs);
      perExample = new Map(toScore.map((record, i) => [record, lists[i] as number[]]));
      for (const [record, list] of perExample) record.trainScore = mean(list);
    } else if (toScore.length > 0) {
      // Means only: the step result the built-in strategies' pinned runs were recorded with.
      const means = await scope.evaluation.steps.run(summaryStep, async () => {
        const means: number[] = [];
        for (const ref of refs)
          means.push(mean((await readResults(scope.evaluation.recorder, ref)).map((r) => r.score)));
        return means;
      });
      toScore.forEach((record, i) => {
        record.trainScore = means[i] as number;
      });
    }
    return records.map((record, i) => ({
      index: record.index,
      candidate: candidates[i] as Candidate,
      status: record.status,
      rejectReason: record.rejectReason,
      score: record.trainScore,
      examples: record.status === "evaluated" ? examples.length : 0,
      ...(perExample?.has(record) ? { scores: perExample.get(record) } : {}),
    }));
  }

  async rescore(
    prompt: PromptState,
    options: { examples?: readonly Example[]; label: string; outputs?: boolean },
  ): Promise<PromptScores> {
    this.claim("score", options.label);
    const { scope } = this;
    const examples = options.examples ?? scope.minibatch;
    // Index 0 under its own label: a rescored prompt is not one of the iteration's candidates.
    const refs = await evaluateJobs(scope.evaluation, [
      {
        prompt,
        examples,
        phase: PHASES.candidate(scope.iteration, "train", 0, options.label),
        split: "train",
        step: this.steps.refinedInference(0, options.label),
        progress: { step: PROGRESS_STEPS.refinedInference, iteration: scope.iteration },
      },
    ]);
    const ref = refs[0] as ResultRef;
    const read = await scope.evaluation.steps.run(this.steps.trainSummary(options.label), async () => {
      const results = await readResults(scope.evaluation.recorder, ref);
      const scores = scoresOf(results);
      return options.outputs ? { scores, outputs: results.map((r) => r.output) } : { scores };
    });
    return { mean: mean(read.scores), ...read };
  }

  /** Per-example scores of each evaluation, read back in one durable step. */
  private scoreLists(step: string, refs: readonly ResultRef[]): Promise<number[][]> {
    return this.scope.evaluation.steps.run(step, async () => {
      const lists: number[][] = [];
      for (const ref of refs) lists.push(scoresOf(await readResults(this.scope.evaluation.recorder, ref)));
      return lists;
    });
  }

  /** The record of `candidate`: the same prompt keeps its index; a new one is checked and numbered. */
  private register(candidate: Candidate): CandidateRecord {
    const key = promptKey(candidate.prompt);
    const existing = this.indexByKey.get(key);
    if (existing !== undefined) return this.candidates[existing] as CandidateRecord;
    const problem = candidateProblem(candidate.prompt, this.scope.variables, this.scope.tried);
    const record: CandidateRecord = {
      index: this.candidates.length,
      prompt: candidate.prompt,
      rationale: candidate.rationale,
      status: problem ? "rejected" : "evaluated",
      rejectReason: problem ?? undefined,
      trainScore: null,
      validationScore: null,
      gain: null,
      accepted: false,
    };
    this.candidates.push(record);
    // A rejected prompt keeps no index: proposing it again is checked (and recorded) again.
    if (!problem) {
      this.indexByKey.set(key, record.index);
      this.scope.tried.add(key);
    }
    return record;
  }
}
