// Known values: every reference below was computed independently with SciPy 1.17
// (scipy.stats.norm, t, chi2 and ttest_ind(equal_var=False)), not with this code.
import { describe, expect, it } from "vitest";
import { compareVariants, statsOf, studentTQuantile } from "./comparison";
import {
  chiSquareSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  studentTTwoSided,
} from "./distributions";
import { MAX_PLANNED_PER_VARIANT, PowerInputError, sampleSizePerVariant } from "./power";
import { minimumWidthFactor, sequentialInterval } from "./sequential";
import { sampleRatioMismatch } from "./srm";

describe("distributions", () => {
  it("match published values", () => {
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621234, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 10);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138852, 6);
    expect(studentTTwoSided(2.5, 7.3)).toBeCloseTo(0.03965023467, 7);
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(7.5, 3)).toBeCloseTo(0.05755845197, 8);
    expect(chiSquareSurvival(32, 1)).toBeCloseTo(1.54172579e-8, 12);
  });
});

describe("tests suited to the metric", () => {
  it("Welch's t on two samples with unequal variances", () => {
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const d = compareVariants(statsOf(a), statsOf(b), "mean");
    expect(d.test).toBe("welch t");
    expect(d.estimate / d.standardError).toBeCloseTo(2.455356398, 6);
    expect(d.degreesOfFreedom).toBeCloseTo(24.98852929, 5);
    expect(d.pValue).toBeCloseTo(0.02137800146, 7);
    expect(d.interval[0]).toBeCloseTo(0.3492370662, 6);
    expect(d.interval[1]).toBeCloseTo(3.984096267, 6);
  });

  it("two-proportion z-test: 120/1000 against 150/1000", () => {
    const d = compareVariants(
      { n: 1000, sum: 120, sumSquares: 120 },
      { n: 1000, sum: 150, sumSquares: 150 },
      "proportion",
    );
    expect(d.test).toBe("two-proportion z");
    expect(d.estimate).toBeCloseTo(0.03, 12);
    expect(d.relative).toBeCloseTo(0.25, 12);
    expect(d.pValue).toBeCloseTo(0.04964038687, 7);
    expect(d.chanceToBeatControl).toBeGreaterThan(0.97);
  });

  it("no data gives no evidence", () => {
    const d = compareVariants({ n: 0, sum: 0, sumSquares: 0 }, { n: 0, sum: 0, sumSquares: 0 }, "proportion");
    expect(d.pValue).toBe(1);
    expect(d.chanceToBeatControl).toBe(0.5);
  });
});

describe("sequential boundary", () => {
  it("is wider than the fixed-horizon one and narrowest at the planned size", () => {
    const factor = minimumWidthFactor(0.05);
    expect(factor).toBeGreaterThan(1.96);
    expect(factor).toBeLessThan(3.2);
    const widthAt = (n: number) => {
      const [lo, hi] = sequentialInterval(0, 1 / Math.sqrt(n), n, 1000).interval;
      return ((hi - lo) / 2) * Math.sqrt(n);
    };
    expect(widthAt(1000)).toBeCloseTo(factor, 6);
    expect(widthAt(100)).toBeGreaterThan(factor);
    expect(widthAt(10_000)).toBeGreaterThan(factor);
  });

  it("its p-value is at most alpha exactly when the interval excludes zero", () => {
    for (const estimate of [0.01, 0.02, 0.025, 0.03, 0.05]) {
      const s = sequentialInterval(estimate, 0.01, 500, 800);
      expect(s.pValue <= 0.05).toBe(s.interval[0] > 0);
    }
  });
});

describe("power", () => {
  it("fixed horizon matches the textbook formula (10% → 12%, 80% power: 3,839 per variant)", () => {
    // (1.959964 + 0.841621)² · (0.1·0.9 + 0.12·0.88) / 0.02² = 3838.1 (SciPy)
    expect(
      sampleSizePerVariant({
        kind: "proportion",
        baseline: 0.1,
        minimumDetectableEffect: 0.02,
        sequential: false,
      }),
    ).toBe(3839);
  });

  it("refuses a plan that cannot be made, naming the input at fault", () => {
    const field = (input: Parameters<typeof sampleSizePerVariant>[0]) => {
      try {
        sampleSizePerVariant(input);
        return "planned";
      } catch (error) {
        return error instanceof PowerInputError ? error.field : String(error);
      }
    };
    expect(field({ kind: "proportion", baseline: 1, minimumDetectableEffect: 0.05 })).toBe("baseline");
    expect(field({ kind: "proportion", baseline: 0, minimumDetectableEffect: -0.05 })).toBe("baseline");
    expect(field({ kind: "proportion", baseline: 0.5, minimumDetectableEffect: 0.00001 })).toBe(
      "minimumDetectableEffect",
    );
    expect(field({ kind: "proportion", baseline: 0.5, minimumDetectableEffect: 1e-320 })).toBe(
      "minimumDetectableEffect",
    );
    expect(
      field({ kind: "mean", baseline: 3, minimumDetectableEffect: 1e-200, standardDeviation: 1e200 }),
    ).toBe("minimumDetectableEffect");
    // The largest plan allowed still plans; a baseline of 1 with a downward effect has variance.
    expect(field({ kind: "proportion", baseline: 1, minimumDetectableEffect: -0.05 })).toBe("planned");
    expect(
      sampleSizePerVariant({ kind: "proportion", baseline: 0.5, minimumDetectableEffect: 0.001 }),
    ).toBeLessThan(MAX_PLANNED_PER_VARIANT);
  });

  it("a mean needs its standard deviation, and the sequential rule needs more subjects", () => {
    expect(() => sampleSizePerVariant({ kind: "mean", baseline: 3, minimumDetectableEffect: 0.1 })).toThrow(
      /standard deviation/,
    );
    const fixed = sampleSizePerVariant({
      kind: "mean",
      baseline: 3,
      minimumDetectableEffect: 0.1,
      standardDeviation: 1,
      sequential: false,
    });
    const sequential = sampleSizePerVariant({
      kind: "mean",
      baseline: 3,
      minimumDetectableEffect: 0.1,
      standardDeviation: 1,
    });
    expect(fixed).toBe(Math.ceil(((1.959963985 + 0.841621234) ** 2 * 2) / 0.01));
    expect(sequential).toBeGreaterThan(fixed * 1.5);
  });
});

describe("sample-ratio mismatch", () => {
  it("52/48 at 50/50 over 20,000 subjects fires; an even split does not", () => {
    const broken = sampleRatioMismatch([10_400, 9_600], [50, 50]);
    expect(broken.chiSquare).toBeCloseTo(32, 10);
    expect(broken.pValue).toBeCloseTo(1.54172579e-8, 12);
    expect(broken.mismatch).toBe(true);
    expect(sampleRatioMismatch([10_050, 9_950], [50, 50]).mismatch).toBe(false);
    expect(sampleRatioMismatch([2_000, 6_000, 2_000], [1, 3, 1]).mismatch).toBe(false);
  });
});
