// Sample-ratio mismatch: does the observed split of subjects match the configured weights? A chi-square
// goodness-of-fit test; a p-value below the threshold (0.001 by default, as experimentation platforms
// use, since the check runs at every analysis) means the assignment or the exposure logging is broken,
// and no result of the experiment can be trusted.
import { chiSquareSurvival } from "./distributions";

export interface SampleRatioCheck {
  expected: number[];
  chiSquare: number;
  pValue: number;
  mismatch: boolean;
}

export function sampleRatioMismatch(
  counts: readonly number[],
  weights: readonly number[],
  threshold = 0.001,
): SampleRatioCheck {
  if (counts.length !== weights.length) throw new RangeError("one weight per variant");
  const total = counts.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  let chiSquare = 0;
  for (let i = 0; i < counts.length; i++) {
    const e = expected[i] as number;
    if (e > 0) chiSquare += ((counts[i] as number) - e) ** 2 / e;
  }
  const df = counts.length - 1;
  const pValue = total === 0 || df < 1 ? 1 : chiSquareSurvival(chiSquare, df);
  return { expected, chiSquare, pValue, mismatch: pValue < threshold };
}
