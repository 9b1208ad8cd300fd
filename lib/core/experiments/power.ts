// How many subjects each variant needs: the sample size at which the decision rule detects a given
// difference with the asked-for power. For the sequential rule (sequential.ts) the boundary at the planned
// size is wider than the fixed-horizon 1.96 standard errors, so the same power needs more subjects.
import type { MetricKind } from "./comparison";
import { normalQuantile } from "./distributions";
import { minimumWidthFactor } from "./sequential";

export interface PowerInput {
  kind: MetricKind;
  /** The control's rate (proportion) or mean. */
  baseline: number;
  /** The smallest absolute difference worth detecting (e.g. 0.02 for two points of a rate). */
  minimumDetectableEffect: number;
  /** For means: the standard deviation of one value (the same in every variant). */
  standardDeviation?: number;
  /** Two-sided false-positive rate for the whole experiment (default 0.05). */
  alpha?: number;
  /** Probability of detecting the effect when it is there (default 0.8). */
  power?: number;
  /** How many variants, control included (default 2): alpha is split between the comparisons. */
  variants?: number;
  /** The decision rule: sequential (safe to peek, the default) or one look at the end. */
  sequential?: boolean;
}

/** The alpha each comparison with control gets (Bonferroni over the non-control variants). */
export function comparisonAlpha(alpha: number, variants: number): number {
  return alpha / Math.max(1, variants - 1);
}

/** A plan that cannot be made, naming the input at fault. */
export class PowerInputError extends RangeError {
  constructor(
    readonly field: "baseline" | "minimumDetectableEffect" | "standardDeviation",
    message: string,
  ) {
    super(message);
  }
}

/** The most subjects per variant an experiment may plan for (a larger plan would never conclude). */
export const MAX_PLANNED_PER_VARIANT = 100_000_000;

export function sampleSizePerVariant(input: PowerInput): number {
  const alpha = comparisonAlpha(input.alpha ?? 0.05, input.variants ?? 2);
  const power = input.power ?? 0.8;
  const effect = Math.abs(input.minimumDetectableEffect);
  if (!(effect > 0))
    throw new PowerInputError("minimumDetectableEffect", "minimumDetectableEffect must be non-zero");
  let varianceSum: number;
  if (input.kind === "proportion") {
    const p1 = input.baseline;
    const p2 = Math.min(1, Math.max(0, input.baseline + input.minimumDetectableEffect));
    if (!(p1 >= 0 && p1 <= 1))
      throw new PowerInputError("baseline", "a proportion's baseline must be between 0 and 1");
    varianceSum = p1 * (1 - p1) + p2 * (1 - p2);
    // A rate of 0 or 1 on both sides has no variance: the plan would be no subjects at all.
    if (!(varianceSum > 0))
      throw new PowerInputError(
        "baseline",
        "a baseline of 0 or 1 leaves nothing to detect: give the control's expected rate",
      );
  } else {
    const sd = input.standardDeviation;
    if (!(sd !== undefined && sd > 0))
      throw new PowerInputError("standardDeviation", "a mean needs its standard deviation");
    varianceSum = 2 * sd * sd;
  }
  const boundary = input.sequential === false ? normalQuantile(1 - alpha / 2) : minimumWidthFactor(alpha);
  const n = ((boundary + normalQuantile(power)) ** 2 * varianceSum) / (effect * effect);
  if (!(n <= MAX_PLANNED_PER_VARIANT))
    throw new PowerInputError(
      "minimumDetectableEffect",
      `the effect is too small to detect: it needs more than ${MAX_PLANNED_PER_VARIANT.toLocaleString("en-US")} subjects per variant`,
    );
  return Math.max(1, Math.ceil(n));
}
