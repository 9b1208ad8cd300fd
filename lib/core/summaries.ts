// The numbers the loop decides on, computed from recorded results inside summary steps (so a replay
// reads nothing back): the incumbent's summary and failures, candidates' means, validation gains and the
// held-out verdict. Pure functions of the results, in the order of their examples.
import { metricMeans } from "./evaluate";
import type { TrainSummary } from "./optimizer";
import { hashString } from "./random";
import type { OptimizationReport } from "./report";
import { bootstrapInterval, mean, pairedGainInterval } from "./stats";
import type { Interval, ScoredExample } from "./types";

export const scoresOf = (results: readonly ScoredExample[]) => results.map((r) => r.score);

/** What the baseline-evaluation summary step returns. */
export interface IncumbentSummary {
  train: TrainSummary;
  /** Ids of the lowest-scoring training examples (score < 1), worst first. */
  failures: string[];
  /** Mean score on validation. */
  validation: number;
}

export function summarizeIncumbent(
  train: readonly ScoredExample[],
  validation: readonly ScoredExample[],
  options: { seed: number; iteration: number; failures: number },
): IncumbentSummary {
  const failures = train
    .filter((r) => r.score < 1)
    .sort((a, b) => a.score - b.score)
    .slice(0, options.failures)
    .map((r) => r.exampleId);
  return {
    train: {
      score: bootstrapInterval(scoresOf(train), {
        seed: hashString(`train:${options.seed}:${options.iteration}`),
      }),
      metrics: metricMeans(train),
      failed: train.filter((r) => r.error !== null).length,
    },
    failures,
    validation: mean(scoresOf(validation)),
  };
}

export interface ValidationVerdict {
  validationScore: number;
  /** Paired bootstrap interval of the candidate's per-example gain over the incumbent. */
  gain: Interval;
}

export function validationVerdict(
  incumbent: readonly ScoredExample[],
  candidate: readonly ScoredExample[],
  options: { seed: number; iteration: number; candidate: number; confidence: number; samples: number },
): ValidationVerdict {
  return {
    validationScore: mean(scoresOf(candidate)),
    gain: pairedGainInterval(scoresOf(incumbent), scoresOf(candidate), {
      confidence: options.confidence,
      samples: options.samples,
      seed: hashString(`gain:${options.seed}:${options.iteration}:${options.candidate}`),
    }),
  };
}

/** Baseline and best on the test examples both were scored on. */
export function testVerdict(
  baseline: readonly ScoredExample[],
  best: readonly ScoredExample[],
  options: { seed: number; samples: number; complete: boolean },
): OptimizationReport["test"] {
  const common = { confidence: 0.95, samples: options.samples };
  const [a, b] = [scoresOf(baseline), scoresOf(best)];
  return {
    baseline: bootstrapInterval(a, { ...common, seed: hashString(`test-baseline:${options.seed}`) }),
    best: bootstrapInterval(b, { ...common, seed: hashString(`test-best:${options.seed}`) }),
    gain: pairedGainInterval(a, b, { ...common, seed: hashString(`test-gain:${options.seed}`) }),
    complete: options.complete,
  };
}
