import { describe, expect, it } from "vitest";
import { kFolds, splitExamples } from "./splits";
import { bootstrapInterval, mean, pairedGainInterval } from "./stats";
import { MissingVariableError, renderTemplate, templateVariables } from "./template";

const examples = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `e${i}`, input: {}, expected: "" }));

describe("bootstrap intervals", () => {
  it("bracket the mean, are reproducible for a seed and narrow as n grows", () => {
    const values = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const a = bootstrapInterval(values, { seed: 3 });
    expect(a.mean).toBeCloseTo(34 / 100);
    expect(a.low).toBeLessThan(a.mean);
    expect(a.high).toBeGreaterThan(a.mean);
    expect(bootstrapInterval(values, { seed: 3 })).toEqual(a);
    // Normal approximation: 1.96 * sqrt(p(1-p)/n) = 0.093 for p = .34, n = 100.
    expect(a.high - a.low).toBeGreaterThan(0.15);
    expect(a.high - a.low).toBeLessThan(0.23);
    const big = bootstrapInterval([...values, ...values, ...values, ...values], { seed: 3 });
    expect(big.high - big.low).toBeLessThan((a.high - a.low) * 0.65);
  });

  it("pairing removes per-example difficulty from a gain", () => {
    const base = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 0.9 : 0.1));
    const better = base.map((v) => v + 0.05);
    const gain = pairedGainInterval(base, better, { seed: 1 });
    expect(gain.mean).toBeCloseTo(0.05);
    expect(gain.low).toBeCloseTo(0.05);
    expect(gain.high).toBeCloseTo(0.05);
    // Unpaired, the same difference of means is hidden in the spread of the examples.
    expect(bootstrapInterval(base, { seed: 1 }).high).toBeGreaterThan(mean(better));
    expect(() => pairedGainInterval([1], [1, 2])).toThrow(/differ in length/);
  });

  it("handles tiny samples", () => {
    expect(bootstrapInterval([])).toEqual({ mean: 0, low: 0, high: 0, n: 0 });
    expect(bootstrapInterval([0.5])).toEqual({ mean: 0.5, low: 0.5, high: 0.5, n: 1 });
  });
});

describe("splits", () => {
  it("are disjoint, complete, sized and seeded", () => {
    const s = splitExamples(examples(100), { validation: 0.2, test: 0.3 }, 5);
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([50, 20, 30]);
    const ids = new Set([...s.train, ...s.validation, ...s.test].map((e) => e.id));
    expect(ids.size).toBe(100);
    expect(splitExamples(examples(100), { validation: 0.2, test: 0.3 }, 5)).toEqual(s);
    expect(splitExamples(examples(100), { validation: 0.2, test: 0.3 }, 6).test).not.toEqual(s.test);
  });

  it("refuse datasets too small to split", () => {
    expect(() => splitExamples(examples(2), { validation: 0.2, test: 0.2 }, 1)).toThrow(/at least 3/);
  });

  it("make k near-equal folds", () => {
    const folds = kFolds(examples(10), 3, 1);
    expect(folds.map((f) => f.length)).toEqual([4, 3, 3]);
    expect(new Set(folds.flat().map((e) => e.id)).size).toBe(10);
    expect(() => kFolds(examples(2), 3, 1)).toThrow(/cannot make 3 folds/);
  });
});

describe("templates", () => {
  it("list and fill variables", () => {
    expect(templateVariables("Hi {{name}}, {{ topic }} and {{name}}")).toEqual(["name", "topic"]);
    expect(renderTemplate("Hi {{name}} about {{ topic }}", { name: "Ana", topic: "tea" })).toBe(
      "Hi Ana about tea",
    );
  });

  it("name the missing variable", () => {
    expect(() => renderTemplate("{{a}} {{b}}", { a: "x" })).toThrow(MissingVariableError);
    expect(() => renderTemplate("{{a}} {{b}}", { a: "x" })).toThrow('"b"');
  });
});
