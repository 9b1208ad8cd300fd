// Step 5's decision: the strategy's best contenders are scored on the validation split, and one replaces
// the incumbent only when the lower bound of the paired bootstrap interval of its per-example gain
// exceeds `minGain` — not when its mean is merely higher.
import { type EvaluationContext, evaluateJobs, type ResultRef, readResults } from "./evaluate";
import type { CandidateRecord } from "./report";
import { mean } from "./stats";
import { iterationSteps, PHASES, PROGRESS_STEPS } from "./step-ids";
import { scoresOf, type ValidationVerdict, validationVerdict } from "./summaries";
import type { Example, Interval, PromptState, ScoredExample } from "./types";

export interface AcceptanceSettings {
  confidence: number;
  minGain: number;
  bootstrapSamples: number;
  validateTop: number;
  /** Constraints and trade-offs beyond quality; absent: quality alone decides (the default). */
  objectives?: Objectives;
}

/** What a prompt costs besides its quality, measured on the validation split. */
export interface PromptMeasures {
  /** Mean USD per task-model call (0 when the model has no price). */
  costPerCall: number;
  tokensPerCall: number;
  latencyMs: number;
  /** Characters of the system prompt, output prompt and demos: what every call sends. */
  promptChars: number;
}

export interface Objectives {
  /** Caps: a contender over any of them is never accepted. */
  maxCostPerCall?: number;
  maxLatencyMs?: number;
  maxPromptChars?: number;
  /**
   * Trade-offs: quality points (0-1 scale) a unit costs. The gain tested is then the paired gain of
   * score − Σ weight × measure per example, so a cheaper prompt of equal quality can win.
   */
  weights?: { costPerCall?: number; latencyMs?: number; promptChars?: number };
}

export function promptChars(prompt: PromptState): number {
  const demos = prompt.demos.reduce((sum, d) => sum + JSON.stringify(d.input).length + d.output.length, 0);
  return prompt.systemPrompt.length + prompt.outputPrompt.length + demos;
}

export function measuresOf(prompt: PromptState, results: readonly ScoredExample[]): PromptMeasures {
  return {
    costPerCall: mean(results.map((r) => r.costUsd)),
    tokensPerCall: mean(results.map((r) => r.usage.inputTokens + r.usage.outputTokens)),
    latencyMs: mean(results.map((r) => r.latencyMs)),
    promptChars: promptChars(prompt),
  };
}

/** The caps a prompt breaks, named as in the task file. */
export function violations(measures: PromptMeasures, objectives: Objectives): string[] {
  const broken: string[] = [];
  if (objectives.maxCostPerCall !== undefined && measures.costPerCall > objectives.maxCostPerCall)
    broken.push("maxCostPerCall");
  if (objectives.maxLatencyMs !== undefined && measures.latencyMs > objectives.maxLatencyMs)
    broken.push("maxLatencyMs");
  if (objectives.maxPromptChars !== undefined && measures.promptChars > objectives.maxPromptChars)
    broken.push("maxPromptChars");
  return broken;
}

/** Each result's score less the weighted cost of producing it (the trade-off's utility). */
export function utilityResults(
  prompt: PromptState,
  results: readonly ScoredExample[],
  weights: NonNullable<Objectives["weights"]>,
): ScoredExample[] {
  const length = (weights.promptChars ?? 0) * promptChars(prompt);
  return results.map((r) => ({
    ...r,
    score: r.score - (weights.costPerCall ?? 0) * r.costUsd - (weights.latencyMs ?? 0) * r.latencyMs - length,
  }));
}

export interface AcceptanceInput {
  iteration: number;
  seed: number;
  acceptance: AcceptanceSettings;
  /** The iteration's candidates; contenders are indexes into it, best first. */
  candidates: CandidateRecord[];
  contenders: readonly number[];
  validation: readonly Example[];
  incumbentValidation: ResultRef;
  /** The incumbent's prompt (its length and cost count when objectives are set). */
  incumbentPrompt: PromptState;
}

/** The contenders the loop checks: evaluated candidates the strategy named, at most `validateTop`. */
export function pickContenders(
  candidates: readonly CandidateRecord[],
  contenders: readonly number[],
  validateTop: number,
): CandidateRecord[] {
  const picked = contenders.map((index) => {
    const record = candidates[index];
    if (record?.status !== "evaluated") {
      throw new Error(`the strategy named contender ${index}, which is not an evaluated candidate`);
    }
    return record;
  });
  return [...new Set(picked)].slice(0, validateTop);
}

/** The contender with the largest mean gain among those whose interval clears `minGain` (within caps). */
export function chooseWinner(
  contenders: readonly CandidateRecord[],
  minGain: number,
): CandidateRecord | undefined {
  return contenders
    .filter((c) => c.gain !== null && c.gain.low > minGain && !c.violates?.length)
    .sort((a, b) => (b.gain as Interval).mean - (a.gain as Interval).mean)[0];
}

/**
 * Scores the contenders on validation (batch steps), then decides in one summary step; fills in their
 * validation scores and gains (and, with objectives, their measures and broken caps) and marks the
 * winner. Returns the winner, if any, and the incumbent's measures when objectives are set.
 */
export async function acceptOnValidation(
  ctx: EvaluationContext,
  input: AcceptanceInput,
): Promise<{ winner?: CandidateRecord; incumbentMeasures?: PromptMeasures }> {
  const { iteration, acceptance } = input;
  const steps = iterationSteps(iteration);
  const contenders = pickContenders(input.candidates, input.contenders, acceptance.validateTop);
  if (contenders.length === 0) return {};
  const refs = await evaluateJobs(
    ctx,
    contenders.map((record) => ({
      prompt: record.prompt,
      examples: input.validation,
      phase: PHASES.candidate(iteration, "validation", record.index),
      split: "validation" as const,
      step: steps.candidateValidation(record.index),
      progress: { step: PROGRESS_STEPS.comparativeEvaluation, iteration },
    })),
  );
  const objectives = acceptance.objectives;
  const decided = await ctx.steps.run<Verdicts>(steps.acceptance, async () => {
    const incumbent = await readResults(ctx.recorder, input.incumbentValidation);
    const verdicts: ObjectiveVerdict[] = [];
    for (const [i, record] of contenders.entries()) {
      const results = await readResults(ctx.recorder, refs[i] as ResultRef);
      const options = {
        seed: input.seed,
        iteration,
        candidate: record.index,
        confidence: acceptance.confidence,
        samples: acceptance.bootstrapSamples,
      };
      if (!objectives) {
        verdicts.push(validationVerdict(incumbent, results, options));
        continue;
      }
      const weights = objectives.weights ?? {};
      const verdict = validationVerdict(
        utilityResults(input.incumbentPrompt, incumbent, weights),
        utilityResults(record.prompt, results, weights),
        options,
      );
      const measures = measuresOf(record.prompt, results);
      verdicts.push({
        ...verdict,
        validationScore: mean(scoresOf(results)),
        measures,
        violates: violations(measures, objectives),
      });
    }
    // Without objectives the step returns the verdicts alone, as runs recorded before them did.
    return objectives
      ? { verdicts, incumbent: measuresOf(input.incumbentPrompt, incumbent) }
      : (verdicts as ValidationVerdict[]);
  });
  const { verdicts, incumbent } = Array.isArray(decided)
    ? { verdicts: decided, incumbent: undefined }
    : decided;
  contenders.forEach((record, i) => {
    const verdict = verdicts[i] as ObjectiveVerdict;
    record.validationScore = verdict.validationScore;
    record.gain = verdict.gain;
    if (verdict.measures) {
      record.measures = verdict.measures;
      record.violates = verdict.violates ?? [];
    }
  });
  const winner = chooseWinner(contenders, acceptance.minGain);
  if (winner) winner.accepted = true;
  return { winner, incumbentMeasures: incumbent };
}

type ObjectiveVerdict = ValidationVerdict & { measures?: PromptMeasures; violates?: string[] };

/** The acceptance step's result: the verdicts alone, or (with objectives) with measures. */
type Verdicts = ValidationVerdict[] | { verdicts: ObjectiveVerdict[]; incumbent: PromptMeasures };
