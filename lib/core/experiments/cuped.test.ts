// CUPED with subjects that have no pre-experiment value: imputing the pooled mean on the sums gives what
// imputing it subject by subject gives, and by simulation it keeps the estimate unbiased — even when
// whether a subject has a value depends on its pre-period behaviour — while the covered share narrows
// the interval.
import { describe, expect, it } from "vitest";
import { createRandom } from "../random";
import { compareVariants, statsOf } from "./comparison";
import { type CovariateStats, cupedAdjust, imputeCovariates, type PartialCovariateStats } from "./cuped";
import { normalDraw } from "./distributions";

type Subject = { y: number; x: number | null };

function covariateStats(subjects: readonly { y: number; x: number }[]): CovariateStats {
  const s = { ...statsOf(subjects.map((u) => u.y)), covariateSum: 0, covariateSquares: 0, productSum: 0 };
  for (const { x, y } of subjects) {
    s.covariateSum += x;
    s.covariateSquares += x * x;
    s.productSum += x * y;
  }
  return s;
}

function partialStats(subjects: readonly Subject[]): PartialCovariateStats {
  const covered = subjects.flatMap((u) => (u.x === null ? [] : [{ x: u.x, y: u.y }]));
  const c = covariateStats(covered);
  return {
    ...statsOf(subjects.map((u) => u.y)),
    covered: {
      n: c.n,
      sum: c.sum,
      covariateSum: c.covariateSum,
      covariateSquares: c.covariateSquares,
      productSum: c.productSum,
    },
  };
}

describe("imputeCovariates", () => {
  it("equals giving each subject without a value the pooled mean of the values that exist", () => {
    const arms: Subject[][] = [
      [
        { y: 1, x: 2 },
        { y: 3, x: null },
        { y: 2, x: 1 },
        { y: 5, x: 4 },
      ],
      [
        { y: 4, x: null },
        { y: 6, x: 5 },
        { y: 2, x: null },
      ],
    ];
    const mean = (2 + 1 + 4 + 5) / 4;
    const explicit = arms.map((arm) => covariateStats(arm.map((u) => ({ y: u.y, x: u.x ?? mean }))));
    const imputed = imputeCovariates(arms.map(partialStats));
    for (const [i, stats] of imputed.entries()) {
      const expected = explicit[i] as CovariateStats;
      for (const key of Object.keys(expected) as (keyof CovariateStats)[])
        expect(stats[key]).toBeCloseTo(expected[key], 10);
    }
    expect(cupedAdjust(imputed).theta).toBeCloseTo(cupedAdjust(explicit).theta, 10);
  });

  it("with no values at all leaves x at 0 everywhere: θ = 0 and nothing changes", () => {
    const imputed = imputeCovariates([partialStats([{ y: 1, x: null }]), partialStats([{ y: 3, x: null }])]);
    expect(imputed.map((s) => [s.covariateSum, s.covariateSquares, s.productSum])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(cupedAdjust(imputed)).toMatchObject({ theta: 0, varianceReduction: 0 });
  });

  it("keeps the estimate unbiased and narrows the interval when only some subjects have a value", () => {
    const random = createRandom("cuped-partial");
    const trueEffect = 0.3;
    const runs = 200;
    let rawSum = 0;
    let cupedSum = 0;
    let narrower = 0;
    let reduction = 0;
    let coveredShare = 0;
    for (let r = 0; r < runs; r++) {
      const arms = [0, 1].map((arm) => {
        const subjects: Subject[] = [];
        for (let i = 0; i < 400; i++) {
          const x = 5 + normalDraw(random);
          const y = x * 0.9 + 0.45 * normalDraw(random) + arm * trueEffect;
          // Heavier pre-period users are likelier to have left feedback: missingness depends on x.
          const seen = random() < (x > 5 ? 0.8 : 0.4);
          subjects.push({ y, x: seen ? x : null });
        }
        return subjects;
      });
      const raw = compareVariants(
        statsOf(arms[0]!.map((u) => u.y)),
        statsOf(arms[1]!.map((u) => u.y)),
        "mean",
      );
      const partial = arms.map(partialStats);
      const adjusted = cupedAdjust(imputeCovariates(partial));
      const [c, t] = adjusted.summaries;
      const estimate = (t?.mean ?? 0) - (c?.mean ?? 0);
      const se = Math.sqrt((c?.variance ?? 0) / 400 + (t?.variance ?? 0) / 400);
      rawSum += raw.estimate;
      cupedSum += estimate;
      if (se < raw.standardError) narrower++;
      reduction += adjusted.varianceReduction;
      coveredShare += partial.reduce((a, p) => a + p.covered.n, 0) / 800;
    }
    expect(coveredShare / runs).toBeGreaterThan(0.55);
    expect(coveredShare / runs).toBeLessThan(0.65);
    expect(narrower).toBe(runs);
    // Less than with every value (above 0.7), more than nothing: about the covered share of it.
    expect(reduction / runs).toBeGreaterThan(0.3);
    expect(reduction / runs).toBeLessThan(0.7);
    expect(Math.abs(cupedSum / runs - trueEffect)).toBeLessThan(0.02);
    expect(Math.abs(rawSum / runs - trueEffect)).toBeLessThan(0.03);
  });
});
