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

  async propose(propose: ProposeFn, label?: string): Promise<Proposal> {
    this.claim("propose", label);
    const { scope } = this;
    const progress = scope.evaluation.progress;
    progress.begin(PROGRESS_STEPS.optimizer, scope.iteration, 1);
    const proposal = await meteredStep(scope.evaluation, this.steps.optimizer(label), async (llm) => {
      const result = await propose(
        {
          iteration: scope.iteration,
          k: scope.k,
          incumbent: scope.incumbent,
          variables: scope.variables,
          summary: scope.incumbentTrain,
          failures: await this.failures(),
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

  /** The incumbent's worst training examples, read back from the recorder (inside the proposal step). */
  private async failures(): Promise<Failure[]> {
    const { incumbentTrainRef: ref, failureIds, minibatch, evaluation } = this.scope;
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
    options: { examples?: readonly Example[]; label?: string } = {},
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
    const means =
      toScore.length === 0
        ? []
        : await scope.evaluation.steps.run(this.steps.trainSummary(options.label), async () => {
            const means: number[] = [];
            for (const ref of refs)
              means.push(mean((await readResults(scope.evaluation.recorder, ref)).map((r) => r.score)));
            return means;
          });
    toScore.forEach((record, i) => {
      record.trainScore = means[i] as number;
    });
    return records.map((record, i) => ({
      index: record.index,
      candidate: candidates[i] as Candidate,
      status: record.status,
      rejectReason: record.rejectReason,
      score: record.trainScore,
      examples: record.status === "evaluated" ? examples.length : 0,
    }));
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
