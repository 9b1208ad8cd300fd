// The experiment statistics checked by simulation, with seeded randomness (the same draws every run).
import { describe, expect, it } from "vitest";
import { createRandom } from "../random";
import { analyzeExperiment, decide } from "./analysis";
import { assignmentPoint, assignVariant } from "./assignment";
import { thompsonWeights } from "./bandit";
import { compareVariants, type VariantStats } from "./comparison";
import type { CovariateStats } from "./cuped";
import { cupedAdjust } from "./cuped";
import { normalDraw } from "./distributions";
import { sampleSizePerVariant } from "./power";

const LOOKS = 20;

/** One simulated experiment on a rate, analyzed after every twentieth of `horizon` subjects per arm. */
function runRateExperiment(
  rates: [number, number],
  planned: number,
  horizon: number,
  random: () => number,
): { sequentialStop: boolean; naiveStop: boolean } {
  const arms: VariantStats[] = [
    { n: 0, sum: 0, sumSquares: 0 },
    { n: 0, sum: 0, sumSquares: 0 },
  ];
  let naiveStop = false;
  const step = Math.ceil(horizon / LOOKS);
  for (let look = 1; look <= LOOKS; look++) {
    for (const [i, arm] of arms.entries()) {
      for (let k = 0; k < step; k++) {
        const hit = random() < (rates[i] as number) ? 1 : 0;
        arm.n++;
        arm.sum += hit;
        arm.sumSquares += hit;
      }
    }
    // What people do by hand: a fixed-horizon test at every peek.
    if (compareVariants(arms[0] as VariantStats, arms[1] as VariantStats, "proportion").pValue <= 0.05)
      naiveStop = true;
    const analysis = analyzeExperiment({
      kind: "proportion",
      better: "higher",
      primary: arms,
      weights: [1, 1],
      exposures: [arms[0]?.n ?? 0, arms[1]?.n ?? 0],
      plannedSamplePerVariant: planned,
    });
    const decision = decide(analysis, {
      better: "higher",
      minimumSamplePerVariant: 0,
      elapsedMs: 0,
      maxDurationMs: 1,
    });
    if (decision.action === "stop" && decision.outcome !== "inconclusive")
      return { sequentialStop: true, naiveStop };
  }
  return { sequentialStop: false, naiveStop };
}

describe("the decision rule under continuous monitoring", () => {
  const baseline = 0.2;
  const effect = 0.04;
  const planned = sampleSizePerVariant({ kind: "proportion", baseline, minimumDetectableEffect: effect });

  it("keeps false positives at or below 5% with equal true rates, while naive peeking does not", () => {
    const random = createRandom("a/a");
    const runs = 600;
    let sequential = 0;
    let naive = 0;
    for (let i = 0; i < runs; i++) {
      const r = runRateExperiment([baseline, baseline], planned, planned, random);
      if (r.sequentialStop) sequential++;
      if (r.naiveStop) naive++;
    }
    const margin = 3 * Math.sqrt((0.05 * 0.95) / runs);
    expect(sequential / runs).toBeLessThanOrEqual(0.05 + margin);
    // Twenty peeks at a fixed-horizon test reject far more often than 5%: the reason for the rule.
    expect(naive / runs).toBeGreaterThan(0.1);
  });

  it("detects the planned effect by the planned sample size at the promised power", () => {
    const random = createRandom("a/b");
    const runs = 300;
    let detected = 0;
    for (let i = 0; i < runs; i++) {
      if (runRateExperiment([baseline, baseline + effect], planned, planned, random).sequentialStop)
        detected++;
    }
    expect(detected / runs).toBeGreaterThanOrEqual(0.8 - 3 * Math.sqrt((0.8 * 0.2) / runs));
  });
});

describe("CUPED", () => {
  it("narrows the interval with a correlated pre-period value and leaves the estimate unbiased", () => {
    const random = createRandom("cuped");
    const trueEffect = 0.3;
    const runs = 200;
    let rawSum = 0;
    let cupedSum = 0;
    let narrower = 0;
    let reduction = 0;
    for (let r = 0; r < runs; r++) {
      const arms: CovariateStats[] = [0, 1].map((arm) => {
        const s = { n: 0, sum: 0, sumSquares: 0, covariateSum: 0, covariateSquares: 0, productSum: 0 };
        for (let i = 0; i < 400; i++) {
          const x = 5 + normalDraw(random);
          const y = x * 0.9 + 0.45 * normalDraw(random) + arm * trueEffect;
          s.n++;
          s.sum += y;
          s.sumSquares += y * y;
          s.covariateSum += x;
          s.covariateSquares += x * x;
          s.productSum += x * y;
        }
        return s;
      });
      const raw = compareVariants(arms[0] as VariantStats, arms[1] as VariantStats, "mean");
      const adjusted = cupedAdjust(arms);
      const cuped = compareVariants({ n: 0, sum: 0, sumSquares: 0 }, { n: 0, sum: 0, sumSquares: 0 }, "mean");
      void cuped;
      const [c, t] = adjusted.summaries;
      const estimate = (t?.mean ?? 0) - (c?.mean ?? 0);
      const se = Math.sqrt((c?.variance ?? 0) / 400 + (t?.variance ?? 0) / 400);
      rawSum += raw.estimate;
      cupedSum += estimate;
      if (se < raw.standardError) narrower++;
      reduction += adjusted.varianceReduction;
    }
    expect(narrower).toBe(runs);
    expect(reduction / runs).toBeGreaterThan(0.7);
    // Unbiased: the mean estimate is within three standard errors of the mean of the true effect.
    expect(Math.abs(cupedSum / runs - trueEffect)).toBeLessThan(0.02);
    expect(Math.abs(rawSum / runs - trueEffect)).toBeLessThan(0.03);
  });
});

describe("assignment", () => {
  it("is sticky and matches the weights within tolerance over 100,000 subjects", () => {
    const weights = [50, 30, 20];
    const counts = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) {
      const v = assignVariant("exp-1", `user-${i}`, weights);
      counts[v] = (counts[v] as number) + 1;
      if (i % 997 === 0) expect(assignVariant("exp-1", `user-${i}`, weights)).toBe(v);
    }
    for (const [i, w] of weights.entries()) {
      // 4 standard deviations of a binomial share over 100,000 draws is under 0.0064.
      expect(Math.abs((counts[i] as number) / 100_000 - w / 100)).toBeLessThan(0.0064);
    }
  });

  it("is independent between experiments", () => {
    let same = 0;
    for (let i = 0; i < 20_000; i++) {
      if (assignmentPoint("exp-a", `u${i}`) < 0.5 === assignmentPoint("exp-b", `u${i}`) < 0.5) same++;
    }
    expect(Math.abs(same / 20_000 - 0.5)).toBeLessThan(0.02);
  });
});

describe("bandit", () => {
  it("shifts traffic to the better variant, keeps exploring, and repeats with its seed", () => {
    const variants = [
      { n: 2000, sum: 200, sumSquares: 200 },
      { n: 2000, sum: 300, sumSquares: 300 },
    ];
    const weights = thompsonWeights(variants, "proportion", { seed: 3 });
    expect(weights[1]).toBeGreaterThan(0.9);
    expect(weights[0]).toBeGreaterThanOrEqual(0.05);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(thompsonWeights(variants, "proportion", { seed: 3 })).toEqual(weights);
    const even = thompsonWeights(
      [
        { n: 0, sum: 0, sumSquares: 0 },
        { n: 0, sum: 0, sumSquares: 0 },
      ],
      "proportion",
    );
    expect(Math.abs((even[0] as number) - 0.5)).toBeLessThan(0.03);
  });
});

describe("decide", () => {
  const arms = (a: number, b: number, n = 5000): VariantStats[] => [
    { n, sum: a * n, sumSquares: a * n },
    { n, sum: b * n, sumSquares: b * n },
  ];
  const base = {
    kind: "proportion" as const,
    better: "higher" as const,
    weights: [1, 1],
    plannedSamplePerVariant: 5000,
  };
  const rules = { better: "higher" as const, minimumSamplePerVariant: 100, elapsedMs: 0, maxDurationMs: 10 };

  it("refuses to conclude on a broken split", () => {
    const analysis = analyzeExperiment({ ...base, primary: arms(0.1, 0.2), exposures: [10_400, 9_600] });
    expect(decide(analysis, rules)).toMatchObject({ action: "stop", outcome: "invalid" });
  });

  it("names the winner, or keeps control when a guardrail breaks", () => {
    const primary = arms(0.1, 0.13);
    const winner = decide(analyzeExperiment({ ...base, primary, exposures: [5000, 5000] }), rules);
    expect(winner).toMatchObject({ action: "stop", outcome: "winner", variant: 1 });
    const errors = arms(0.01, 0.05);
    const guarded = analyzeExperiment({
      ...base,
      primary,
      exposures: [5000, 5000],
      guardrails: [
        { name: "error rate", kind: "proportion", stats: errors, worse: "higher", tolerance: 0.005 },
      ],
    });
    expect(guarded.variants[1]?.guardrailBreaches).toEqual(["error rate"]);
    expect(decide(guarded, rules)).toMatchObject({ action: "stop", outcome: "control" });
  });

  it("waits for evidence, then stops as inconclusive at the maximum duration", () => {
    const analysis = analyzeExperiment({ ...base, primary: arms(0.1, 0.101), exposures: [5000, 5000] });
    expect(decide(analysis, rules).action).toBe("continue");
    expect(decide(analysis, { ...rules, elapsedMs: 10 })).toMatchObject({ outcome: "inconclusive" });
  });
});
