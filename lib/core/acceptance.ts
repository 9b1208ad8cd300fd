// Step 5's decision: the strategy's best contenders are scored on the validation split, and one replaces
// the incumbent only when the lower bound of the paired bootstrap interval of its per-example gain
// exceeds `minGain` — not when its mean is merely higher.
import { type EvaluationContext, evaluateJobs, type ResultRef, readResults } from "./evaluate";
import type { CandidateRecord } from "./report";
import { iterationSteps, PHASES, PROGRESS_STEPS } from "./step-ids";
import { type ValidationVerdict, validationVerdict } from "./summaries";
import type { Example, Interval } from "./types";

export interface AcceptanceSettings {
  confidence: number;
  minGain: number;
  bootstrapSamples: number;
  validateTop: number;
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

/** The contender with the largest mean gain among those whose interval clears `minGain`. */
export function chooseWinner(
  contenders: readonly CandidateRecord[],
  minGain: number,
): CandidateRecord | undefined {
  return contenders
    .filter((c) => c.gain !== null && c.gain.low > minGain)
    .sort((a, b) => (b.gain as Interval).mean - (a.gain as Interval).mean)[0];
}

/**
 * Scores the contenders on validation (batch steps), then decides in one summary step; fills in their
 * validation scores and gains and marks the winner. Returns the winner, if any.
 */
export async function acceptOnValidation(
  ctx: EvaluationContext,
  input: AcceptanceInput,
): Promise<CandidateRecord | undefined> {
  const { iteration, acceptance } = input;
  const steps = iterationSteps(iteration);
  const contenders = pickContenders(input.candidates, input.contenders, acceptance.validateTop);
  if (contenders.length === 0) return undefined;
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
  const verdicts = await ctx.steps.run<ValidationVerdict[]>(steps.acceptance, async () => {
    const incumbent = await readResults(ctx.recorder, input.incumbentValidation);
    const verdicts: ValidationVerdict[] = [];
    for (const [i, record] of contenders.entries()) {
      verdicts.push(
        validationVerdict(incumbent, await readResults(ctx.recorder, refs[i] as ResultRef), {
          seed: input.seed,
          iteration,
          candidate: record.index,
          confidence: acceptance.confidence,
          samples: acceptance.bootstrapSamples,
        }),
      );
    }
    return verdicts;
  });
  contenders.forEach((record, i) => {
    const verdict = verdicts[i] as ValidationVerdict;
    record.validationScore = verdict.validationScore;
    record.gain = verdict.gain;
  });
  const winner = chooseWinner(contenders, acceptance.minGain);
  if (winner) winner.accepted = true;
  return winner;
}
